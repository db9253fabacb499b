package dev.chatbotroi.testing;

import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of the test JVM (2 cores, 2 shuffle partitions), created on first use. */
public final class TestSpark {
  private TestSpark() {}

  public static final String HASH_KEY = "test-hash-key";

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
