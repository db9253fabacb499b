package dev.chatbotroi.testing;

import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of the test JVM (2 cores, 2 shuffle partitions), created on first use. */
public final class TestSpark {
  private TestSpark() {}

  public static final String HASH_KEY = "test-hash-key";

  /** Adaptive query execution: off in the test JVMs (jobs/pom.xml), on in the shipped job. */
  public static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  /**
   * How the shipped job executes queries: generated code and adaptive execution, which the test
   * JVMs turn off for small lakes (jobs/pom.xml). For tests whose data is large enough to matter.
   */
  public static final java.util.Map<String, String> SHIPPED_EXECUTION = java.util.Map.of(
      "spark.sql.codegen.wholeStage", "true", "spark.sql.codegen.factoryMode", "FALLBACK", ADAPTIVE, "true");

  /** Runs {@code body} on the test session with the shipped job's execution settings. */
  public static <T> T asShipped(java.util.function.Supplier<T> body) {
    return dev.chatbotroi.common.SessionConf.with(session(), SHIPPED_EXECUTION, body);
  }

  private static SparkSession session;

  public static Settings settings(String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of("spark.shuffle-partitions=2"));
    all.addAll(List.of(overrides));
    return Settings.load(null, all).withHashKey(HASH_KEY);
  }

  /**
   * A Hadoop configuration for tests that list files without Spark: with the local file system
   * Spark sessions use, so that a test that runs first in its JVM does not cache Hadoop's own.
   */
  public static org.apache.hadoop.conf.Configuration hadoopConf() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    dev.chatbotroi.common.LocalFileSystemNio.HADOOP_SETTINGS.forEach(conf::set);
    return conf;
  }

  public static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSessions.create("chatbot-roi tests", "local[2]", settings());
      session.sparkContext().setLogLevel("ERROR");
    }
    return session;
  }
}
