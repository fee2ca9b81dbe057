package io.tierdex.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.testing.Checkout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The notebooks as committed: nbformat 4 for the tierdex kernel, and clean (no outputs, no
 * execution counts), so a fresh clone runs them and diffs show only code.
 */
class CommittedNotebooksTest {
  static final List<String> NOTEBOOKS = List.of("explore-metadata.ipynb",
      "policy-what-if.ipynb", "run-history.ipynb");

  @Test
  void theThreeNotebooksAreThere() throws Exception {
    try (Stream<Path> files = Files.list(Checkout.root().resolve("notebooks"))) {
      assertEquals(NOTEBOOKS, files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".ipynb")).sorted().toList());
    }
  }

  @Test
  void notebooksAreCommittedWithoutOutputs() throws Exception {
    for (String name : NOTEBOOKS) {
      JsonNode nb = new ObjectMapper().readTree(Checkout.root().resolve("notebooks")
          .resolve(name).toFile());
      assertEquals(4, nb.get("nbformat").asInt(), name);
      assertEquals("tierdex", nb.at("/metadata/kernelspec/name").asText(), name);
      int code = 0;
      for (JsonNode cell : nb.get("cells")) {
        if (cell.get("cell_type").asText().equals("code")) {
          code++;
          assertTrue(cell.get("outputs").isEmpty(), name + ": a cell has outputs; clear them"
              + " before committing (jupyter nbconvert --clear-output --inplace " + name + ")");
          assertTrue(cell.get("execution_count").isNull(), name + ": a cell has an"
              + " execution count; clear outputs before committing");
        }
      }
      assertTrue(code >= 5, name + " has " + code + " code cells");
    }
  }
}
