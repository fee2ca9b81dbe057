package io.tierdex.report;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The report step of the nightly run: builds the run's report and writes
 * {@code runs/<id>/report.html} and then {@code runs/<id>/report.json}, each beside and
 * renamed into place, so a reader sees a whole file or the previous one. The JSON goes last:
 * it is what later runs' history and {@code tierdex report} read.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /** A written report, and where its HTML page is. */
  public record Written(Report report, Path html) {}

  /** Writes the report of {@code in.run()}. */
  public static Written write(SparkSession spark, ReportInputs in) {
    Report r = new ReportBuilder(spark).build(in);
    in.state().replaceFile(in.run(), RunReports.HTML, ReportHtml.render(r));
    in.state().replaceJson(in.run(), RunReports.JSON, r);
    return new Written(r, in.state().output(in.run(), RunReports.HTML));
  }
}
