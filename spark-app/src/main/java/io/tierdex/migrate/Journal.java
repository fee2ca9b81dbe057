package io.tierdex.migrate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A bin's journal: {@code runs/<plan>/journal/bin-<n>/<attempt>.jsonl}, one file per task
 * attempt, one JSON line per event. A {@code swap} line comes just before a copy replaces
 * its original and is flushed before the swap; a {@code done} line (a whole ledger row)
 * after a file is settled goes out with the next flush (the next swap, a second later, or
 * the end of the task). A retried or rerun task reads every attempt's lines: done files are
 * not touched again, a swap without a done line is settled by looking at the file, and a
 * file with neither (a done line lost with the process) is simply checked again.
 */
final class Journal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Done lines wait at most this long for a flush. */
  private static final long FLUSH_NANOS = 1_000_000_000L;

  /** A swap that was journaled: the copy's inode and checksum. */
  record Swap(String tempInode, String checksum) {}

  /** What earlier attempts of a bin recorded. */
  record Past(Map<String, LedgerRow> done, Map<String, Swap> swapping) {}

  private final FSDataOutputStream out;
  /** Writes the lines straight into {@code out}'s buffer: a line costs no tree or array. */
  private final JsonGenerator lines;
  private final Path file;
  private long flushed = System.nanoTime();

  private Journal(FSDataOutputStream out, Path file) throws IOException {
    this.out = out;
    this.lines = JSON.getFactory().createGenerator((OutputStream) out) // not its DataOutput side
        .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)
        // Closing must never finish a line cut short: a done line completed without its
        // last fields would read as a file settled with no new inode or checksum.
        .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)
        .setRootValueSeparator(null);
    this.file = file;
  }

  static Path binDir(Path journal, int bin) {
    return new Path(journal, "bin-" + bin);
  }

  /** Journals of the local file system are written without checksum side files. */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }

  static Journal create(FileSystem fs, Path binDir, String attempt) throws IOException {
    Path file = new Path(binDir, attempt + ".jsonl");
    return new Journal(raw(fs).create(file, false), file);
  }

  /** Every attempt's lines for a bin; a torn last line (a killed writer) is ignored. */
  static Past read(FileSystem fs, Path binDir) throws IOException {
    Map<String, LedgerRow> done = new HashMap<>();
    Map<String, Swap> swapping = new HashMap<>();
    FileSystem raw = raw(fs);
    if (!raw.exists(binDir)) {
      return new Past(done, swapping);
    }
    for (FileStatus s : raw.listStatus(binDir)) {
      if (!s.getPath().getName().endsWith(".jsonl")) {
        continue;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          raw.open(s.getPath()), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          JsonNode n;
          try {
            n = JSON.readTree(line);
          } catch (IOException e) {
            continue;
          }
          if (n == null || !n.hasNonNull("k") || !n.hasNonNull("path")) {
            continue;
          }
          String path = n.get("path").asText();
          if (n.get("k").asText().equals("swap")) {
            swapping.put(path, new Swap(n.get("temp_inode").asText(),
                n.hasNonNull("checksum") ? n.get("checksum").asText() : null));
          } else {
            ((ObjectNode) n).remove("k");
            done.put(path, JSON.treeToValue(n, LedgerRow.class));
          }
        }
      }
    }
    swapping.keySet().removeAll(done.keySet());
    return new Past(done, swapping);
  }

  /** Journals a swap about to happen: flushed, with every done line before it. */
  synchronized void swap(String path, String tempInode, String checksum) throws IOException {
    lines.writeStartObject();
    lines.writeStringField("k", "swap");
    lines.writeStringField("path", path);
    lines.writeStringField("temp_inode", tempInode);
    lines.writeStringField("checksum", checksum);
    lines.writeEndObject();
    lines.writeRaw('\n');
    flush();
  }

  synchronized void done(LedgerRow row) throws IOException {
    lines.writeStartObject();
    lines.writeStringField("k", "done");
    row.writeFields(lines);
    lines.writeEndObject();
    lines.writeRaw('\n');
    if (System.nanoTime() - flushed > FLUSH_NANOS) {
      flush();
    }
  }

  /** Hands the lines written so far to the file system: they survive the process. */
  synchronized void flush() throws IOException {
    lines.flush();
    out.hflush();
    flushed = System.nanoTime();
  }

  Path file() {
    return file;
  }

  /** Waits for a line being written: a failing task closes while its movers may write. */
  @Override
  public synchronized void close() throws IOException {
    lines.close(); // and the stream
  }
}
