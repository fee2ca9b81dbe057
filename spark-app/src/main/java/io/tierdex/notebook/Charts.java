package io.tierdex.notebook;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Charts for notebooks, as images: the value of a cell's last expression, which Java kernels
 * on jupyter-jvm-basekernel (tierdex's, JJava, IJava) display as image/png. The data is a
 * small aggregate: its first column labels the points, each other column is a series; more
 * than {@value #MAX_POINTS} rows is refused rather than collected to the driver.
 */
public final class Charts {
  static final int MAX_POINTS = 500;
  private static final int WIDTH = 800;
  private static final int HEIGHT = 400;

  private Charts() {}

  /** A bar chart: one group of bars per row, one bar per numeric column. */
  public static BufferedImage bars(String title, String yTitle, Dataset<Row> rows) {
    List<Row> data = collect(rows);
    String[] names = rows.columns();
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(names[0]).yAxisTitle(yTitle).build();
    chart.getStyler().setXAxisLabelRotation(data.size() > 8 ? 45 : 0);
    chart.getStyler().setLegendVisible(names.length > 2)
        .setLegendPosition(Styler.LegendPosition.InsideNE);
    List<String> labels = data.stream().map(r -> String.valueOf(r.get(0))).toList();
    for (int c = 1; c < names.length; c++) {
      chart.addSeries(names[c], labels, numbers(data, c));
    }
    return png(chart);
  }

  /** A line chart over the first column: numbers, or timestamps as dates. */
  public static BufferedImage lines(String title, String yTitle, Dataset<Row> rows) {
    List<Row> data = collect(rows);
    String[] names = rows.columns();
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(names[0]).yAxisTitle(yTitle).build();
    chart.getStyler().setDatePattern("MM-dd HH:mm:ss");
    chart.getStyler().setLegendVisible(names.length > 2)
        .setLegendPosition(Styler.LegendPosition.InsideNE);
    List<Object> xs = new ArrayList<>();
    for (Row r : data) {
      Object x = r.get(0);
      xs.add(x instanceof java.sql.Timestamp t ? new Date(t.getTime())
          : x instanceof java.time.Instant i ? Date.from(i) : x);
    }
    for (int c = 1; c < names.length; c++) {
      if (xs.isEmpty() || xs.get(0) instanceof Date) {
        chart.addSeries(names[c], xs.stream().map(Date.class::cast).toList(), numbers(data, c));
      } else {
        chart.addSeries(names[c], xs.stream().map(Number.class::cast).toList(),
            numbers(data, c));
      }
    }
    return png(chart);
  }

  /** Any XChart chart as an image, for charts the two above do not draw. */
  public static BufferedImage png(Chart<?, ?> chart) {
    return BitmapEncoder.getBufferedImage(chart);
  }

  private static List<Row> collect(Dataset<Row> rows) {
    if (rows.columns().length < 2) {
      throw new IllegalArgumentException("a chart needs a label column and at least one"
          + " numeric column; the rows have " + String.join(", ", rows.columns()));
    }
    List<Row> data = rows.limit(MAX_POINTS + 1).collectAsList();
    if (data.size() > MAX_POINTS) {
      throw new IllegalArgumentException("more than " + MAX_POINTS + " rows to chart;"
          + " aggregate them (GROUP BY) or limit them first");
    }
    return data;
  }

  private static List<Double> numbers(List<Row> data, int column) {
    return data.stream().map(r -> r.isNullAt(column) ? 0.0
        : ((Number) r.get(column)).doubleValue()).toList();
  }
}
