package io.tierdex.query;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code tierdex query}: the SQL to run in order (each over the whole index), where
 * the answer goes ({@code null}: stdout) and how rows are printed.
 */
public record QueryRequest(Path index, List<String> queries, byte[] delimiter, Path output,
    int minLevel, int maxLevel, String master, boolean strict) {}
