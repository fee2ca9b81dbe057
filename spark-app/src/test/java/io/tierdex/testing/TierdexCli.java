package io.tierdex.testing;

import io.tierdex.cli.Tierdex;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the tierdex command line in this JVM and captures what it prints. */
public final class TierdexCli {
  private TierdexCli() {}

  /** The outcome of one command line ({@code command}: as a user would type it). */
  public record Run(List<String> command, int exit, String out, String err) {

    /** The stderr lines that contain every one of {@code parts}. */
    public List<String> errLinesWith(String... parts) {
      List<String> found = new ArrayList<>();
      for (String line : err.split("\n")) {
        boolean all = true;
        for (String p : parts) {
          all &= line.contains(p);
        }
        if (all) {
          found.add(line);
        }
      }
      return found;
    }

    /** A description to append to assertion messages: the command and its output. */
    public String describe() {
      return String.join(" ", command) + "\n  exit: " + exit
          + "\n  stdout:\n" + indent(out) + "\n  stderr:\n" + indent(err);
    }

    private static String indent(String text) {
      return text.isEmpty() ? "    (empty)" : "    " + text.strip().replace("\n", "\n    ");
    }
  }

  public static Run run(Object... args) {
    List<String> argv = strings(args);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      exit = Tierdex.execute(argv.toArray(String[]::new));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(typed(argv), exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Command-line arguments as strings (paths as their text). */
  static List<String> strings(Object... args) {
    List<String> argv = new ArrayList<>();
    for (Object a : args) {
      argv.add(a instanceof Path p ? p.toString() : String.valueOf(a));
    }
    return argv;
  }

  /** The command line {@code tierdex ARGS} as typed. */
  static List<String> typed(List<String> args) {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add("tierdex");
    command.addAll(args);
    return List.copyOf(command);
  }
}
