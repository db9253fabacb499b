package dev.chatbotroi.testing;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs each pipeline stage starts (by the job group the pipeline sets), and the
 * jobs of each table write (by job description); grain: one listener, registered while it counts.
 * It counts what the session runs: the test JVMs run without adaptive execution (jobs/pom.xml), so a
 * query's jobs are its actions and broadcasts and the counts repeat exactly; with adaptive execution
 * each shuffle stage is a job too, and the same run's counts varied by one between runs.
 */
public final class JobCounter extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private final Map<String, Integer> byGroup = new TreeMap<>();
  private final Map<String, Integer> byDescription = new TreeMap<>();

  private JobCounter(SparkSession spark) {
    this.spark = spark;
  }

  /** Starts counting the session's jobs; close to stop. */
  public static JobCounter start(SparkSession spark) {
    JobCounter c = new JobCounter(spark);
    spark.sparkContext().addSparkListener(c);
    return c;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart job) {
    java.util.Properties p = job.properties();
    String group = p == null ? null : p.getProperty("spark.jobGroup.id");
    String description = p == null ? null : p.getProperty("spark.job.description");
    byGroup.merge(group == null ? "(none)" : group.replace("chatbot-roi:", ""), 1, Integer::sum);
    if (description != null && description.startsWith("write ")) {
      byDescription.merge(description, 1, Integer::sum);
    }
  }

  /** Jobs per stage (the job group without its prefix); "(none)" for jobs outside a stage. */
  public Map<String, Integer> byStage() {
    drain(); // not under this object's lock: the bus delivers to onJobStart, which takes it
    synchronized (this) {
      return new TreeMap<>(byGroup);
    }
  }

  public Map<String, Integer> byWrite() {
    drain();
    synchronized (this) {
      return new TreeMap<>(byDescription);
    }
  }

  /** The listener bus is asynchronous: wait until it has delivered what was posted. */
  private void drain() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the listener bus did not drain in a minute", e);
    }
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
  }
}
