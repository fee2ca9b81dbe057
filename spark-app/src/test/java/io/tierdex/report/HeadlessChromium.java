package io.tierdex.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian package {@code chromium}) opening a local page: no network
 * services, no first-run or sync traffic, a fresh profile per call.
 */
final class HeadlessChromium {
  private final Path executable;
  private final Path work;

  private HeadlessChromium(Path executable, Path work) {
    this.executable = executable;
    this.work = work;
  }

  /** Chromium from the PATH, if installed; its profiles and logs go under {@code work}. */
  static Optional<HeadlessChromium> find(Path work) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(new HeadlessChromium(p, work));
        }
      }
    }
    return Optional.empty();
  }

  /** The page's DOM after its scripts ran. */
  String dumpDom(Path page) throws Exception {
    return new String(run(page, "--dump-dom"), StandardCharsets.UTF_8);
  }

  /** A screenshot of the page in a window of {@code width} x {@code height}. */
  void screenshot(Path page, Path png, int width, int height) throws Exception {
    run(page, "--screenshot=" + png, "--window-size=" + width + "," + height,
        "--hide-scrollbars");
  }

  private byte[] run(Path page, String... what) throws Exception {
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    Path out = Files.createTempFile(work, "chromium", ".out");
    Path err = Files.createTempFile(work, "chromium", ".err");
    List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    cmd.addAll(List.of(what));
    cmd.add(page.toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium did not finish within 120 s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited " + p.exitValue() + ": " + cmd + "\n"
          + Files.readString(err));
    }
    return Files.readAllBytes(out);
  }
}
