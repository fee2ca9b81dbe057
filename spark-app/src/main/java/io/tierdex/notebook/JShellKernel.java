package io.tierdex.notebook;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.common.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.apache.spark.sql.SparkSession;

/**
 * A Jupyter kernel for Java: JShell on jupyter-jvm-basekernel, with this JVM's class path
 * (tierdex and Spark) and Spark's module flags from the kernelspec {@code tierdex kernel
 * install} writes. A cell runs snippet by snippet; the value of its last expression is
 * displayed (a {@link java.awt.image.RenderedImage}, as {@link Charts} draws, as image/png).
 */
public final class JShellKernel extends BaseKernel {
  /** basekernel logs every message at INFO to stderr; held here so the level sticks. */
  private static final java.util.logging.Logger ROOT = java.util.logging.Logger.getLogger("");
  private final KeptValues values = new KeptValues();
  private final JShell shell;
  private volatile Thread evaluating;

  JShellKernel() {
    shell = JShell.builder().executionEngine(values, Map.of()).build();
    shell.addToClasspath(System.getProperty("java.class.path"));
    Image.registerAll(getRenderer());
  }

  /** Jupyter starts it as {@code JShellKernel CONNECTION_FILE}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: " + JShellKernel.class.getName() + " CONNECTION_FILE (Jupyter"
          + " starts the kernel from the kernelspec that tierdex kernel install writes)");
      System.exit(2);
    }
    ROOT.setLevel(java.util.logging.Level.WARNING);
    JupyterConnection connection = new JupyterConnection(
        KernelConnectionProperties.parse(Files.readString(Path.of(args[0]))));
    new JShellKernel().becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    // Spark's non-daemon threads would keep a shut-down kernel alive.
    System.exit(0);
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return new LanguageInfo.Builder("java").version(Runtime.version().toString())
        .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java")
        .codemirror("text/x-java").build();
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    values.clear();
    evaluating = Thread.currentThread();
    try {
      Object last = null;
      boolean shown = false;
      SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
      String rest = code;
      while (!rest.isBlank()) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
        Completeness c = info.completeness();
        if (c == Completeness.EMPTY) {
          break;
        }
        // Unknown: JShell cannot split it; evaluating it all reports the compiler's errors.
        String source = c == Completeness.UNKNOWN || !c.isComplete() ? rest : info.source();
        rest = c == Completeness.UNKNOWN || !c.isComplete() ? "" : info.remaining();
        shown = false;
        for (SnippetEvent e : shell.eval(source)) {
          if (e.causeSnippet() != null) {
            continue; // an update of a dependent snippet, not this one
          }
          if (e.exception() != null) {
            throw e.exception();
          }
          if (e.status() == Snippet.Status.REJECTED) {
            throw new IllegalArgumentException(diagnostics(e.snippet()));
          }
          Snippet.SubKind kind = e.snippet().subKind();
          if (kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
              || kind == Snippet.SubKind.VAR_VALUE_SUBKIND) {
            last = values.take(e.value());
            shown = true;
          }
        }
      }
      return shown && last != null ? getRenderer().render(last) : null;
    } finally {
      evaluating = null;
      Thread.interrupted(); // an interrupt that came too late must not hit the next cell
    }
  }

  private String diagnostics(Snippet s) {
    List<String> lines = new ArrayList<>();
    shell.diagnostics(s).forEach((Diag d) -> lines.add(d.getMessage(null)));
    return "does not compile: " + s.source().strip() + "\n" + String.join("\n", lines);
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> found = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor)
        .stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
    return found.isEmpty() ? null : new ReplacementOptions(found, anchor[0], at);
  }

  /** Jupyter's interrupt: cancels the running Spark jobs, then interrupts the cell. */
  @Override
  public void interrupt() {
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().sparkContext().cancelAllJobs();
    }
    Thread t = evaluating;
    if (t != null) {
      t.interrupt();
    }
  }

  /** The error as a user reads it: the exception and its causes, without JShell's frames. */
  @Override
  public List<String> formatError(Exception e) {
    List<String> lines = new ArrayList<>();
    for (Throwable t = e; t != null && lines.size() < 20; t = t.getCause()) {
      String name = t instanceof EvalException ee ? ee.getExceptionClassName()
          : t.getClass().getName();
      lines.add((lines.isEmpty() ? "" : "caused by ") + name + ": " + t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    return lines;
  }
}
