package io.tierdex.gufi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How the functions get into a SparkSession: by the service file, or by spark.sql.extensions. */
class RegistrationTest {
  private static final String SERVICE_FILE =
      "META-INF/services/" + SparkSessionExtensionsProvider.class.getName();

  @AfterAll
  static void restoreSharedSession() {
    SparkSession shared = TestSpark.session();
    SparkSession.setDefaultSession(shared);
    SparkSession.setActiveSession(shared);
  }

  @Test
  void aFreshSessionWithoutConfigurationHasTheFunctions() {
    SparkSession shared = TestSpark.session();
    SparkSession fresh = freshSession(SparkSession.builder()::getOrCreate);

    assertNotSame(shared, fresh);
    assertTrue(fresh.conf().getOption("spark.sql.extensions").isEmpty());
    assertEquals("-rw-r--r--", fresh.sql("SELECT modetotxt(33188)").first().getString(0));
    for (GufiFunction function : GufiFunctions.ALL) {
      assertTrue(fresh.catalog().functionExists(function.name()), function.name());
    }
  }

  @Test
  void wrongArgumentCountsNameTheFunction() {
    SparkSession spark = TestSpark.session();
    assertEquals("modetotxt takes 1 argument, got 2",
        assertThrows(IllegalArgumentException.class, () -> spark.sql("SELECT modetotxt(1, 2)")).getMessage());
    assertEquals("agecat takes 1 argument, got 0",
        assertThrows(IllegalArgumentException.class, () -> spark.sql("SELECT agecat()")).getMessage());
    assertEquals("uidtouser takes 1 argument, got 0",
        assertThrows(IllegalArgumentException.class, () -> spark.sql("SELECT uidtouser()")).getMessage());
    assertThrows(AnalysisException.class, () -> spark.sql("SELECT rpad('x')")); // Spark's own rpad
  }

  @Test
  void describeFunctionShowsTheUsage() {
    String description = TestSpark.session().sql("DESCRIBE FUNCTION blocksize").collectAsList().toString();
    assertTrue(description.contains("blocksize(1024, 'KB') = '2KB'"), description);
    assertTrue(description.contains(BlockSize.class.getName()), description);
  }

  @Test
  void columnsAreNamedAsTheQueryWroteThem() {
    assertEquals(List.of("modetotxt(mode)", "strftime(%Y, t)", "agecat(t)", "stdevp(t)", "mode_count(mode)"),
        Arrays.asList(TestSpark.session().sql("SELECT modetotxt(mode), strftime('%Y', t), agecat(t), stdevp(t),"
            + " mode_count(mode) FROM VALUES (1, 2) AS v(mode, t) GROUP BY mode, t").columns()).subList(0, 5));
  }

  @Test
  void theServiceFileNamesTheProvider() {
    assertEquals(1, ServiceLoader.load(SparkSessionExtensionsProvider.class).stream()
        .filter(provider -> provider.type() == GufiExtensions.class)
        .count());
  }

  @Test
  void sparkSqlExtensionsWorksWhereTheServiceFileIsNotSeen() {
    TestSpark.session(); // a running SparkContext for the control session below
    ClassLoader original = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(new WithoutServiceFile(original));
    try {
      // Control: without the service file and without the setting, there is no modetotxt.
      SparkSession bare = freshSession(SparkSession.builder()::getOrCreate);
      AnalysisException missing = assertThrows(AnalysisException.class, () -> bare.sql("SELECT modetotxt(33188)"));
      assertEquals("UNRESOLVED_ROUTINE", missing.getCondition());

      // spark.sql.extensions is read when the SparkContext starts, so start one with it.
      TestSpark.session().stop();
      SparkSession configured = SparkSession.builder()
          .master("local[1]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.extensions", GufiExtensions.class.getName())
          .getOrCreate();
      try {
        assertEquals("drwxr-xr-x", configured.sql("SELECT modetotxt(16877)").first().getString(0));
      } finally {
        configured.stop();
      }
    } finally {
      Thread.currentThread().setContextClassLoader(original);
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  /** A session built with no active or default session to fall back on. */
  private static SparkSession freshSession(Supplier<SparkSession> build) {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    return build.get();
  }

  /** Hides the service file, as a Spark whose classpath lacks it would see things. */
  private static final class WithoutServiceFile extends ClassLoader {
    WithoutServiceFile(ClassLoader parent) {
      super(parent);
    }

    @Override
    public URL getResource(String name) {
      return SERVICE_FILE.equals(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return SERVICE_FILE.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  }

  @Test
  void theHidingLoaderReallyHidesTheProvider() {
    assertFalse(ServiceLoader.load(SparkSessionExtensionsProvider.class, new WithoutServiceFile(getClass().getClassLoader()))
        .stream().anyMatch(provider -> provider.type() == GufiExtensions.class));
  }
}
