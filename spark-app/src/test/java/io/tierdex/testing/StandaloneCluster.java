package io.tierdex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback, started from the build's jars (no Spark
 * distribution): a master and workers, each in a JVM of its own, and each worker starting an
 * executor JVM per application, as on a real cluster. {@link #close} stops every one of them,
 * the executors included.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** Master and workers only route messages: a small heap, C1, one GC thread. */
  private static final List<String> DAEMON_JVM =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int port;
  private final int webUi;
  private final List<Process> daemons = new ArrayList<>();

  private StandaloneCluster(Path dir) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.webUi = freePort();
  }

  /**
   * Starts a master and {@code workers} workers of one core and 1 GiB each under {@code dir}
   * (logs, the workers' work directories), the workers with {@code workerEnv} added to their
   * environment (executors inherit it), and waits until every worker has registered.
   */
  public static StandaloneCluster start(Path dir, int workers, Map<String, String> workerEnv,
      Duration timeout) throws IOException, InterruptedException {
    StandaloneCluster c = new StandaloneCluster(dir);
    try {
      c.startMaster();
      for (int i = 0; i < workers; i++) {
        c.startWorker(i, workerEnv);
      }
      c.awaitWorkers(workers, timeout);
      return c;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** The URL to submit to: {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  private void startMaster() throws IOException {
    // No REST submission server: its fixed port 6066 would collide with other builds'.
    start("master", Map.of(), List.of("-Dspark.master.rest.enabled=false"),
        "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--webui-port", String.valueOf(webUi));
  }

  /**
   * A worker runs its executors from {@code SPARK_HOME/jars} plus {@code SPARK_DIST_CLASSPATH}:
   * an empty jars directory and the build's class path stand in for a distribution.
   */
  private void startWorker(int i, Map<String, String> workerEnv) throws IOException {
    Path home = Files.createDirectories(dir.resolve("spark-home/jars")).getParent();
    Path work = Files.createDirectories(dir.resolve("worker-" + i));
    Map<String, String> env = new HashMap<>(workerEnv);
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_DIST_CLASSPATH", Checkout.sparkClassPath());
    start("worker-" + i, env, List.of(), "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
        "--work-dir", work.toString(), "--webui-port", String.valueOf(freePort()), masterUrl());
  }

  private void start(String name, Map<String, String> env, List<String> sparkConf, String main,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Checkout.jvmFlags());
    cmd.addAll(DAEMON_JVM);
    cmd.addAll(sparkConf);
    cmd.add("-cp");
    cmd.add(Checkout.sparkClassPath());
    cmd.add(main);
    cmd.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    TierdexProcess.environment(b);
    b.environment().putAll(env);
    daemons.add(b.start());
  }

  /** Polls the master's status page until {@code workers} workers are alive. */
  private void awaitWorkers(int workers, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUi + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      for (Process p : daemons) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a cluster JVM exited with " + p.exitValue()
              + "\n" + logs());
        }
      }
      try {
        JsonNode json = JSON.readTree(http.send(status, HttpResponse.BodyHandlers.ofString())
            .body());
        alive = json.path("aliveworkers").asInt();
        if (alive >= workers) {
          return;
        }
      } catch (IOException e) {
        // the master's web UI is not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(alive + " of " + workers + " workers registered within "
        + timeout + "\n" + logs());
  }

  /** The end of each cluster log and executor stderr, for assertion messages. */
  public String logs() {
    StringBuilder s = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")
          || p.getFileName().toString().equals("stderr")).sorted().toList()) {
        s.append("--- ").append(dir.relativize(f)).append('\n')
            .append(TierdexProcess.tail(f, 15)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  /**
   * Stops the workers and the master and every process they started (executors), asking
   * first and killing what is left after ten seconds. The children are listed before their
   * parent goes: once it has, they are no longer its descendants.
   */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>();
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).descendants().forEach(all::add);
      all.add(daemons.get(i).toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : all) {
      if (!exited(h, deadline - System.nanoTime())) {
        h.destroyForcibly();
        exited(h, TimeUnit.SECONDS.toNanos(5));
      }
    }
  }

  private static boolean exited(ProcessHandle h, long nanos) throws InterruptedException {
    try {
      h.onExit().get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
