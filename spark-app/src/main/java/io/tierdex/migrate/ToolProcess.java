package io.tierdex.migrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an external tool, without a shell. Stdin is written and stdout and stderr are
 * read on threads of their own, so a tool that prints a lot before it has read all its input,
 * or fills one stream while we wait on the other, cannot deadlock against us. Past the
 * timeout the tool and every process it started are killed.
 */
final class ToolProcess {
  /** How long the output may take to end once the tool has exited or been killed. */
  private static final long DRAIN_SECONDS = 10;

  private ToolProcess() {}

  /**
   * What a run printed, line by line, and how it ended: {@code exitCode} is -1 when it was
   * killed at the timeout (its output up to then is kept).
   */
  record Output(int exitCode, boolean timedOut, List<String> stdout, List<String> stderr) {}

  /**
   * Runs {@code executable} with {@code args} in this process's environment less the variables
   * {@code unset}, feeding it {@code stdin} (UTF-8; none if null).
   *
   * @throws InterruptedIOException if this thread is interrupted; the tool is killed first
   * @throws IOException if the tool cannot be started
   */
  static Output run(Path executable, List<String> args, Collection<String> unset, String stdin,
      Duration timeout) throws IOException {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add(executable.toString());
    command.addAll(args);
    long deadline = System.nanoTime() + timeout.toNanos();
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeAll(unset);
    Process p = builder.start();
    Lines out = Lines.drain(p.getInputStream(), "stdout of " + executable);
    Lines err = Lines.drain(p.getErrorStream(), "stderr of " + executable);
    feed(p.getOutputStream(), stdin, executable);
    try {
      boolean exited = p.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      long drainNanos = TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
      if (exited) {
        // Still inside the timeout, the output gets what is left of it to be read.
        drainNanos += Math.max(0, deadline - System.nanoTime());
      } else {
        kill(p);
      }
      out.await(drainNanos);
      err.await(drainNanos);
      return new Output(exited ? p.exitValue() : -1, !exited, out.lines(), err.lines());
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + executable + " ran; it was killed");
    }
  }

  private static void feed(OutputStream in, String stdin, Path executable) {
    if (stdin == null) {
      close(in);
      return;
    }
    Thread t = new Thread(() -> {
      try (in) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The tool stopped reading (it exited or was killed); its output and exit code say why.
      }
    }, "stdin of " + executable);
    t.setDaemon(true);
    t.start();
  }

  /** Kills the tool and what it started (a child holding our pipes open would keep them open). */
  private static void kill(Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor(DRAIN_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(OutputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to feed anyway
    }
  }

  /** The lines of one output stream, read on a daemon thread until the stream ends. */
  private static final class Lines {
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private Lines(InputStream stream, String name) {
      reader = new Thread(() -> read(stream), name);
      reader.setDaemon(true);
    }

    static Lines drain(InputStream stream, String name) {
      Lines l = new Lines(stream, name);
      l.reader.start();
      return l;
    }

    private void read(InputStream stream) {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // the stream was closed under us: keep what was read
      }
    }

    /** Waits a bounded time for the end: a process the tool left behind may hold the pipe. */
    void await(long nanos) throws InterruptedException {
      reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }
  }
}
