package io.tierdex.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Policies.withCondition: the what-if notebook's way to change one rule in memory. */
class WhatIfConditionTest {
  static final String YAML = """
      pools:
        - {name: fast, id: 1}
        - {name: slow, id: 2}
      rules:
        - {name: cold, from: fast, to: slow, condition: "mtime older than 180d", limits: {files: 5}}
        - {name: big, from: fast, to: slow, condition: "size >= 1GiB"}
      """;

  @Test
  void replacesOneRulesConditionAndKeepsTheRest() {
    Policies p = PolicyParser.parse("p.yaml", YAML);
    Policies changed = p.withCondition("cold", "mtime older than 90d");
    assertEquals(List.of("mtime older than 90d", "size >= 1GiB"),
        changed.rules().stream().map(Policies.Rule::condition).toList());
    assertEquals(p.rules().get(0).maxFiles(), changed.rules().get(0).maxFiles());
    assertEquals(p.rules().get(1), changed.rules().get(1));
    assertEquals("mtime older than 180d", p.rules().get(0).condition(), "p is unchanged");
  }

  @Test
  void anUnknownRuleNamesTheRules() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("p.yaml", YAML).withCondition("colt", "size > 0"));
    assertEquals("p.yaml: no rule named 'colt'; its rules are cold, big", e.getMessage());
  }
}
