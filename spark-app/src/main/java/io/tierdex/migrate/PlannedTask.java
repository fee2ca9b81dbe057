package io.tierdex.migrate;

import java.io.Serializable;

/** A planned file with the rule that chose it and its bin: one row of the plan. */
record PlannedTask(PlannedFile file, String rule, int bin) implements Serializable {}
