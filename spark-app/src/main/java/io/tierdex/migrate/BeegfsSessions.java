package io.tierdex.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether any BeeGFS client has a file open: the read and write session counts the metadata
 * server keeps, from {@code beegfs entry info --verbose --retro <path>} (BeeGFS 8). This is
 * the cluster-wide signal a node-local lease cannot give; BeeGFS 7 has none.
 */
final class BeegfsSessions {
  static final String NAME = "beegfs entry info";
  private static final Pattern COUNT = Pattern.compile("\\+\\s*(Reading|Writing):\\s*(\\d+)");

  private final Tool tool;

  BeegfsSessions(String executable, Duration timeout, String searchPath) {
    this.tool = new Tool(executable, timeout, searchPath, NAME,
        "install the BeeGFS 8 client tools (package beegfs-tools)");
  }

  BeegfsSessions(String executable) {
    this(executable, Duration.ofMinutes(2), System.getenv("PATH"));
  }

  /**
   * Null if no client but ours has {@code path} open; else who ("2 reading, 1 writing
   * BeeGFS sessions"). {@code ownReading} is our own read session (the mover's descriptor),
   * not counted.
   *
   * @throws IOException if BeeGFS cannot tell: the tool is missing, failed, or printed no
   *     session counts (callers then leave the file alone)
   */
  String openBy(String path, int ownReading) throws IOException {
    Path exe = tool.locate().orElseThrow(() -> new IOException(tool.missing()));
    ToolProcess.Output out = ToolProcess.run(exe,
        List.of("entry", "info", "--verbose", "--retro", path),
        Set.of("BEEGFS_OUTPUT"), null, tool.timeout());
    if (out.timedOut()) {
      throw new IOException(NAME + " did not answer within " + tool.timeoutText());
    }
    if (out.exitCode() != 0) {
      throw new IOException(NAME + " exited " + out.exitCode() + ": "
          + String.join(" ", out.stderr()).strip());
    }
    long reading = -1;
    long writing = -1;
    boolean sessions = false;
    for (String line : out.stdout()) {
      if (line.strip().equals("Client Sessions")) {
        sessions = true;
        continue;
      }
      Matcher m = COUNT.matcher(line.strip());
      if (sessions && m.matches()) {
        long n = Long.parseLong(m.group(2));
        if (m.group(1).equals("Reading")) {
          reading = n;
        } else {
          writing = n;
        }
      }
    }
    if (reading < 0 || writing < 0) {
      throw new IOException(NAME + " printed no client session counts for " + path
          + " (BeeGFS 8 needed; BeeGFS 7 cannot tell whether a file is open)");
    }
    reading = Math.max(0, reading - ownReading);
    return reading + writing == 0 ? null
        : reading + " reading, " + writing + " writing BeeGFS client sessions";
  }
}
