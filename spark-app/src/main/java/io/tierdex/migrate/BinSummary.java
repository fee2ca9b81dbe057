package io.tierdex.migrate;

import java.io.Serializable;

/**
 * What one task attempt did with its bin: files it settled, and files an earlier attempt
 * had settled (read from the journal, not touched again).
 */
public record BinSummary(int bin, String host, String executor, int attempt, long settled,
    long resumed) implements Serializable {}
