package io.tierdex.cli;

import io.tierdex.snapshot.StateDir;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options every command over the state directory shares. */
final class StateOptions {
  @Option(names = "--state", paramLabel = "DIR", defaultValue = "${env:TIERDEX_STATE}",
      description = "The state directory: a local path or a Hadoop URI (hdfs://..., file:/...)."
          + " Default: $TIERDEX_STATE.")
  String state;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--keep", paramLabel = "N", defaultValue = "10",
      description = "Keep the newest N committed runs (default: ${DEFAULT-VALUE}); older ones,"
          + " and runs interrupted over a day ago, are deleted after this run commits. The"
          + " newest snapshot is always kept.")
  int keep;

  /** The state directory, on the file system the session's Hadoop configuration names. */
  StateDir open(SparkSession spark) {
    return StateDir.open(state, spark.sparkContext().hadoopConfiguration());
  }
}
