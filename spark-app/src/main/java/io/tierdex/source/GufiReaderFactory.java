package io.tierdex.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Ships the read plan to executors and opens one reader per task. */
record GufiReaderFactory(ReadPlan plan) implements PartitionReaderFactory {
  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new GufiPartitionReader(plan, ((GufiPartition) partition).files());
  }
}
