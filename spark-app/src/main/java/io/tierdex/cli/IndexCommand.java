package io.tierdex.cli;

import io.tierdex.index.IndexRequest;
import io.tierdex.index.TreeIndexer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "index",
    mixinStandardHelpOptions = true,
    customSynopsis = "tierdex index [-hVx] [--strict] [-n=N] [--min-level=L] [--max-level=L]"
        + " SRC... INDEX_PARENT",
    description = {
      "Index source directories into GUFI-compatible per-directory SQLite databases,"
          + " like gufi_dir2index.",
      "Each SRC becomes INDEX_PARENT/<basename SRC>/... with one db.db per directory;"
          + " re-indexing replaces the previous index of SRC atomically."
    },
    footer = {"", "Example:", "  tierdex index --threads 8 /mnt/beegfs/projects /srv/index"})
final class IndexCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "PATH",
      description = "Source directories, then the directory that receives the index.")
  List<Path> paths;

  @Option(names = {"-n", "--threads"}, paramLabel = "N",
      description = "Worker threads (default: the number of cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--min-level", paramLabel = "L",
      description = "Write no db.db for directories above level L (the source is level 0).")
  int minLevel = 0;

  @Option(names = "--max-level", paramLabel = "L",
      description = "Do not descend below level L.")
  int maxLevel = Integer.MAX_VALUE;

  @Option(names = {"-x", "--xattrs"},
      description = "Index user.* extended attributes (names in xattr_names, values of"
          + " world-readable entries in xattrs_pwd).")
  boolean xattrs;

  @Option(names = "--strict",
      description = "Stop at the first unreadable directory, vanished entry or bad name"
          + " instead of skipping and reporting it; the previous index is kept.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    List<Path> sources = paths.subList(0, paths.size() - 1);
    Path parent = paths.get(paths.size() - 1);
    IndexRequest request = new IndexRequest(sources, parent, threads, minLevel, maxLevel, xattrs,
        strict);
    new TreeIndexer(System.err, System.console() != null).index(request);
    return Tierdex.OK;
  }
}
