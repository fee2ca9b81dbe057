package io.tierdex.policy;

/**
 * What the one classification pass decided about a file some rule's condition matches.
 * A file is counted under the first verdict that applies, in this order after
 * {@link #SELECTABLE}.
 */
public enum Verdict {
  /** A candidate: ranked by weight and cut at the rule's limits and thresholds. */
  SELECTABLE,
  /** An exclude rule matches it. */
  EXCLUDED,
  /** tierdex moved it and it is unchanged since (the tier state says so). */
  MIGRATED,
  /** Its mtime or ctime is within min_age. */
  TOO_NEW,
  /** Already on the target pool of the first rule whose condition matches. */
  ON_TARGET;

  /** The verdict's code in the classification query. */
  public int code() {
    return ordinal();
  }
}
