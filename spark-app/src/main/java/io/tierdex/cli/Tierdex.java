package io.tierdex.cli;

import io.tierdex.index.IndexException;
import io.tierdex.policy.PolicyException;
import io.tierdex.snapshot.StateException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tierdex} program. Exit codes: 0 ok, 1 the run failed, 2 usage error.
 */
@Command(name = "tierdex",
    mixinStandardHelpOptions = true,
    versionProvider = Tierdex.Version.class,
    description = "Index file-system metadata into GUFI-compatible SQLite databases and keep a"
        + " BeeGFS file system tiered with Spark.",
    subcommands = {
      IndexCommand.class,
      QueryCommand.class,
      SnapshotCommand.class,
      DiffCommand.class,
      RunsCommand.class,
      PlanCommand.class,
      MigrateCommand.class,
      ReportCommand.class,
      RunCommand.class,
      SampleCommand.class,
      BenchCommand.class,
      KernelCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Tierdex implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:io/tierdex/log4j2.properties");
    }
    System.exit(execute(args));
  }

  /** Runs one command line and returns its exit code (tests call this directly). */
  public static int execute(String... args) {
    String names = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!Charset.isSupported(names) || !StandardCharsets.UTF_8.equals(Charset.forName(names))) {
      System.err.println("tierdex: file names would be decoded as " + names
          + "; run with a UTF-8 locale (export LC_ALL=C.UTF-8), as submit/tierdex does");
      return FAILED;
    }
    return new CommandLine(new Tierdex())
        .setExecutionExceptionHandler(Tierdex::handle)
        .execute(args);
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String name = cmd.getCommandName();
    if (e instanceof IndexException ie) {
      cmd.getErr().println("tierdex " + name + ": " + ie.getMessage());
      return ie.isUsageError() ? USAGE : FAILED;
    }
    if (e instanceof PolicyException) {
      cmd.getErr().println("tierdex " + name + ": " + e.getMessage());
      return USAGE;
    }
    if (e instanceof StateException) {
      cmd.getErr().println("tierdex " + name + ": " + e.getMessage());
      return FAILED;
    }
    if (e instanceof IllegalArgumentException) {
      cmd.getErr().println("tierdex " + name + ": " + e.getMessage());
      return USAGE;
    }
    cmd.getErr().println("tierdex " + name + ": failed: " + e);
    e.printStackTrace(cmd.getErr());
    return FAILED;
  }

  /** The version from the jar manifest, or "development build" when run from classes. */
  static String version() {
    String v = Tierdex.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tierdex " + version()};
    }
  }
}
