package dev.chatbotroi.common;

import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of a command, with Delta and the settings every stage relies on. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Uses the master given by spark-submit when there is one, else {@code master}, else local[*].
   * The session time zone is always UTC: reporting-zone calendars are applied explicitly.
   */
  public static SparkSession create(String appName, String master, Settings settings) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (master != null) {
      b.master(master);
    } else if (System.getProperty("spark.master") == null) {
      b.master("local[*]");
      b.config("spark.ui.enabled", "false");
    }
    // file: paths without a chmod or readlink process per file and commit (LocalFileSystemNio)
    localFileSystem(new org.apache.spark.SparkConf()).forEach(b::config);
    return b
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", String.valueOf(settings.shufflePartitions()))
        // Delta's default of 50 snapshot partitions costs seconds per action on small clusters
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
        .getOrCreate();
  }

  /**
   * The Hadoop configuration a session would have, built without one: the `spark.hadoop.*` settings
   * given to spark-submit or as -D options, and {@link LocalFileSystemNio} for `file:` paths.
   */
  public static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.spark.SparkConf spark = new org.apache.spark.SparkConf(); // reads the spark.* system properties
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    String prefix = "spark.hadoop.";
    for (scala.Tuple2<String, String> kv : spark.getAllWithPrefix(prefix)) {
      conf.set(kv._1(), kv._2());
    }
    localFileSystem(spark).forEach((key, value) -> conf.set(key.substring(prefix.length()), value));
    return conf;
  }

  /**
   * The Spark settings that register {@link LocalFileSystemNio} for {@code file:} paths, leaving out
   * any the user set (spark-submit's --conf and -D options reach {@code conf}): an implementation
   * someone chose for {@code file:} on purpose is theirs to keep.
   */
  static java.util.Map<String, String> localFileSystem(org.apache.spark.SparkConf conf) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    LocalFileSystemNio.HADOOP_SETTINGS.forEach((key, value) -> {
      if (!conf.contains("spark.hadoop." + key)) {
        out.put("spark.hadoop." + key, value);
      }
    });
    return out;
  }
}
