package io.tierdex.cli;

import io.tierdex.index.IndexRequest;
import io.tierdex.index.TreeIndexer;
import io.tierdex.sample.SampleTree;
import io.tierdex.sample.SampleTreeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the tierdex job. With no configuration it runs on the embedded default: a sample"
          + " tree it generates itself under --workdir, indexed into --workdir/index.",
      "Stages available in this version: index."
    })
final class RunCommand implements Callable<Integer> {
  @Option(names = "--workdir", paramLabel = "DIR", defaultValue = "tierdex-demo",
      description = "Working directory of the embedded default (default: ./${DEFAULT-VALUE}).")
  Path workdir;

  @Option(names = {"-n", "--threads"}, paramLabel = "N", description = "Worker threads.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws Exception {
    Path work = workdir.toAbsolutePath().normalize();
    Path tree = work.resolve("sample");
    if (!Files.isDirectory(tree)) {
      // Built beside and renamed, so an interrupted first run never leaves half a tree.
      SampleTreeSpec spec = SampleTreeSpec.preset("demo");
      Path partial = work.resolve(".sample-partial");
      if (Files.exists(partial)) {
        try (var walk = Files.walk(partial)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      SampleTree.create(spec, partial, threads);
      Files.move(partial, tree, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      System.err.printf("created sample tree %s: %,d directories, %,d files%n", tree,
          spec.directories(), spec.files());
    }
    Path index = work.resolve("index");
    TreeIndexer.Result r = new TreeIndexer(System.err, System.console() != null)
        .index(IndexRequest.of(List.of(tree), index, threads));
    System.out.printf("tierdex run: indexed %,d directories and %,d files of %s into %s%n",
        r.dirs(), r.nondirs(), tree, r.indexRoots().get(0));
    System.out.printf("look inside: sqlite3 %s \"SELECT name, totfiles, totsize FROM summary\"%n",
        r.indexRoots().get(0).resolve("db.db"));
    return Tierdex.OK;
  }
}
