package io.tierdex.source;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The db.db files one read task goes through, in path order. */
record GufiPartition(List<DbFile> files) implements InputPartition {}
