package io.tierdex.cli;

import io.tierdex.notebook.KernelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kernel",
    mixinStandardHelpOptions = true,
    description = "The Java notebook kernel (JShell with tierdex and Spark).",
    subcommands = KernelCommand.Install.class)
final class KernelCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: install");
  }

  @Command(name = "install",
      mixinStandardHelpOptions = true,
      description = "Write the kernelspec (kernel.json) Jupyter starts the kernel from: this"
          + " java, Spark's module flags, the tierdex jar and Spark's jars. Prints where.",
      footer = {"", "Examples:",
        "  tierdex kernel install                 # ~/.local/share/jupyter/kernels/tierdex",
        "  tierdex kernel install --prefix /opt/jupyter --java-option -Xmx8g"})
  static final class Install implements Callable<Integer> {
    static final class Where {
      @Option(names = "--user", description = "Your Jupyter data directory: $JUPYTER_DATA_DIR,"
          + " else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter (the default).")
      boolean user;

      @Option(names = "--prefix", paramLabel = "DIR",
          description = "DIR/share/jupyter/kernels, as jupyter kernelspec install --prefix.")
      Path prefix;
    }

    @ArgGroup(exclusive = true)
    Where where;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "tierdex",
        description = "The kernel's name (notebooks name it). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--display-name", paramLabel = "TEXT", defaultValue = "Java (tierdex)",
        description = "Shown in Jupyter's launcher. Default: ${DEFAULT-VALUE}.")
    String displayName;

    @Option(names = "--java-option", paramLabel = "OPT",
        description = "A JVM option for the kernel, e.g. -Xmx8g (repeatable).")
    List<String> javaOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Path kernels = (where != null && where.prefix != null
          ? where.prefix.toAbsolutePath().resolve("share/jupyter") : userDataDir())
          .resolve("kernels");
      Path dir = new KernelSpec(name, displayName, javaOptions).writeInto(kernels);
      System.out.println("Installed kernelspec " + name + " in " + dir);
      return Tierdex.OK;
    }

    /** Where Jupyter looks for a user's kernels on Linux. */
    private static Path userDataDir() {
      String data = System.getenv("JUPYTER_DATA_DIR");
      if (data != null && !data.isBlank()) {
        return Path.of(data).toAbsolutePath();
      }
      String xdg = System.getenv("XDG_DATA_HOME");
      return xdg != null && !xdg.isBlank() ? Path.of(xdg, "jupyter")
          : Path.of(System.getProperty("user.home"), ".local/share/jupyter");
    }
  }
}
