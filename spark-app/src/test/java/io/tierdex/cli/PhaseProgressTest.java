package io.tierdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.migrate.Migration;
import io.tierdex.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/** The progress line of a long phase: Spark tasks, and the files and bytes movers settled. */
class PhaseProgressTest {
  @Test
  void countsTasksAndWhatTheMoversSettled() throws Exception {
    SparkSession spark = SharedSpark.get();
    LongAccumulator files = spark.sparkContext().longAccumulator(Migration.FILES_SETTLED);
    LongAccumulator bytes = spark.sparkContext().longAccumulator(Migration.BYTES_SETTLED);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    try (PhaseProgress progress = new PhaseProgress(spark.sparkContext(), "migrate", err,
        false, 100)) {
      Thread.sleep(300); // no Spark work yet: nothing to say
      assertEquals("", buffer.toString(StandardCharsets.UTF_8));
      new JavaSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 4)
          .foreach(i -> {
            for (int f = 0; f < 10; f++) {
              files.add(1);
              bytes.add(1024 * 1024);
            }
            Thread.sleep(200);
          });
      Thread.sleep(400);
    }
    String[] lines = buffer.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertTrue(lines[lines.length - 1].matches(
        "migrate: 0:0\\d, Spark tasks 4 of 4, 40 files settled \\(40\\.0 MiB\\)"),
        String.join("\n", lines));
  }
}
