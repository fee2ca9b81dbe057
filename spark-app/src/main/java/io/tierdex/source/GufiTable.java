package io.tierdex.source;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** One GUFI table (entries, pentries, summary...) across every db.db under a root. */
record GufiTable(GufiOptions options, StructType schema) implements SupportsRead {
  @Override
  public String name() {
    return "gufi." + options.table() + "@" + options.root();
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    return new GufiScanBuilder(options, schema);
  }
}
