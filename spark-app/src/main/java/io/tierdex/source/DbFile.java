package io.tierdex.source;

import java.io.Serializable;

/**
 * One db.db to read: where it is, the directory path its rows report (GUFI's
 * {@code path()}: the root as the user gave it plus the path below), its level and size.
 */
record DbFile(String db, String dir, int level, long bytes) implements Serializable {}
