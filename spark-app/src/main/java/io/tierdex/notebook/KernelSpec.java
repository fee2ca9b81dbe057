package io.tierdex.notebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The kernelspec of {@link JShellKernel}: a {@code kernel.json} whose argv starts this JVM's
 * java with Spark's module flags and this JVM's class path (the tierdex jar and Spark's
 * jars, as submit/tierdex gives them).
 *
 * @param name the kernel's directory name, which notebooks name in their metadata
 * @param displayName what Jupyter's launcher shows
 * @param javaOptions more JVM options, e.g. {@code -Xmx8g}
 */
public record KernelSpec(String name, String displayName, List<String> javaOptions) {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes {@code DIR/NAME/kernel.json} and returns that directory. */
  public Path writeInto(Path kernels) throws IOException {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("kernel name '" + name + "': use letters, digits,"
          + " '.', '_' and '-' (Jupyter's rule for kernelspec names)");
    }
    Path dir = Files.createDirectories(kernels.resolve(name));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv());
    spec.put("display_name", displayName);
    spec.put("language", "java");
    // Jupyter's default interrupt is SIGINT, which would end the JVM; the kernel cancels
    // Spark's jobs on an interrupt_request instead.
    spec.put("interrupt_mode", "message");
    // File names are bytes: the JVM must decode them as UTF-8, as submit/tierdex insists.
    spec.put("env", Map.of("LC_ALL", "C.UTF-8"));
    Path file = dir.resolve("kernel.json");
    JSON.writeValue(file.toFile(), spec);
    return dir;
  }

  List<String> argv() {
    requireKernelClasses();
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(moduleFlags());
    argv.add("-Djava.awt.headless=true");
    // As submit/tierdex: Spark's generated code for long queries is compiled, not interpreted.
    argv.add("-XX:-DontCompileHugeMethods");
    argv.add("-Dlog4j2.configurationFile=classpath:io/tierdex/log4j2.properties");
    argv.addAll(javaOptions);
    argv.add("-cp");
    argv.add(classPath());
    argv.add(JShellKernel.class.getName());
    argv.add("{connection_file}");
    return argv;
  }

  /** This JVM's class path, absolute, so the kernel starts from any notebook directory. */
  static String classPath() {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        out.add(Path.of(e).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, out);
  }

  /**
   * The JVM flags a JVM running Spark needs: those this JVM got from the launcher (the
   * build's spark.jvm.flags) and Spark's own list; without them Kryo and Parquet fail.
   * Also used by the tests' child JVMs.
   */
  public static List<String> moduleFlags() {
    Set<String> flags = new LinkedHashSet<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("--enable-native-access")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Dio.netty.")
          || a.startsWith("-Djdk.reflect.")) {
        flags.add(a);
      }
    }
    flags.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    return List.copyOf(flags);
  }

  private static void requireKernelClasses() {
    try {
      Class.forName("io.github.spencerpark.jupyter.kernel.BaseKernel", false,
          KernelSpec.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("jupyter-jvm-basekernel is not on the class path;"
          + " run tierdex kernel install through submit/tierdex, whose class path has it");
    }
  }
}
