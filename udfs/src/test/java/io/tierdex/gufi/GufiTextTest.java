package io.tierdex.gufi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GufiTextTest {
  @Test
  void quotesLikeSqlitePercentQ() {
    assertEquals("it''s", GufiText.quote("it's"));
    assertEquals("''''", GufiText.quote("''"));
    assertEquals("plain name #1?", GufiText.quote("plain name #1?"));
  }

  @Test
  void unquoteInvertsQuote() {
    for (String name : new String[] {"it's", "'", "a''b", "'lead", "trail'", "no quotes", "new\nline"}) {
      assertEquals(name, GufiText.unquote(GufiText.quote(name)), name);
    }
    assertEquals(null, GufiText.unquote(null));
  }
}
