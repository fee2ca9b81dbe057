package io.tierdex.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The GUFI 0.7 per-directory schema ({@code gufi-db-schema.sql}, shipped verbatim as a
 * resource) and the empty template database built from it once per run, as GUFI's
 * {@code template_db.c} does.
 */
public final class GufiSchema {
  private static final String RESOURCE = "gufi-db-schema.sql";
  /** The sqlite3 shell appends a column-list comment to each view in its .schema output. */
  private static final Pattern VIEW_COMMENT = Pattern.compile("\\s*/\\*.*?\\*/", Pattern.DOTALL);

  private final List<String> statements;
  private final byte[] template;

  private GufiSchema(List<String> statements, byte[] template) {
    this.statements = List.copyOf(statements);
    this.template = template;
  }

  /** The CREATE statements alone, for readers that need no template database. */
  public static List<String> readStatements() {
    return parse(readResource());
  }

  /** Loads the schema and builds the template database in a scratch file. */
  public static GufiSchema load() {
    List<String> statements = readStatements();
    try {
      Path scratch = Files.createTempFile("tierdex-template", ".db");
      try {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + scratch);
            Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=OFF");
          for (String sql : statements) {
            s.execute(sql);
          }
        }
        return new GufiSchema(statements, Files.readAllBytes(scratch));
      } finally {
        Files.deleteIfExists(scratch);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the empty db.db template", e);
    } catch (SQLException e) {
      throw new IllegalStateException("the bundled GUFI schema does not load: " + e.getMessage(), e);
    }
  }

  /** The CREATE statements in file order, as SQLite stores them in sqlite_master. */
  public List<String> statements() {
    return statements;
  }

  /** The bytes of an empty db.db: every table and view, no rows. */
  public byte[] emptyDatabase() {
    return template.clone();
  }

  static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    for (String statement : VIEW_COMMENT.matcher(text).replaceAll("").split(";")) {
      String sql = statement.strip();
      if (!sql.isEmpty()) {
        out.add(sql);
      }
    }
    return out;
  }

  private static String readResource() {
    try (InputStream in = GufiSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the tierdex jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
