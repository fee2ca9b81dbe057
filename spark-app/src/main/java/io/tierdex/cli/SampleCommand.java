package io.tierdex.cli;

import io.tierdex.sample.SampleTree;
import io.tierdex.sample.SampleTreeSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sample",
    mixinStandardHelpOptions = true,
    description = "Generate a deterministic sample tree to try tierdex on (or to benchmark).")
final class SampleCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "Where to create the tree (must not exist).")
  Path dir;

  @Option(names = "--preset", paramLabel = "NAME", defaultValue = "demo",
      description = "demo (85 dirs, 1,700 files with real bytes), 100k or 1m (sparse files)."
          + " Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(names = "--fanout", paramLabel = "N", description = "Subdirectories per directory.")
  Integer fanout;

  @Option(names = "--depth", paramLabel = "N", description = "Levels below the top.")
  Integer depth;

  @Option(names = "--files", paramLabel = "N", description = "Files per directory.")
  Integer files;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed.")
  Long seed;

  @Option(names = "--fill", negatable = true,
      description = "Write real bytes instead of sparse files.")
  Boolean fill;

  @Option(names = {"-n", "--threads"}, paramLabel = "N", description = "Writer threads.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws Exception {
    SampleTreeSpec base = SampleTreeSpec.preset(preset);
    SampleTreeSpec spec = new SampleTreeSpec(
        fanout != null ? fanout : base.fanout(),
        depth != null ? depth : base.depth(),
        files != null ? files : base.filesPerDir(),
        seed != null ? seed : base.seed(),
        fill != null ? fill : base.fill());
    if (java.nio.file.Files.exists(dir)) {
      throw new IllegalArgumentException(dir + " already exists; choose a new directory");
    }
    SampleTree.create(spec, dir.toAbsolutePath(), threads);
    System.err.printf("created %s: %,d directories, %,d files (%s)%n", dir, spec.directories(),
        spec.files(), spec.describe());
    return Tierdex.OK;
  }
}
