package dev.chatbotroi.testing;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;

/** The final physical plan of a query and its leaves (scans), with adaptive execution off so the plan is not AQE's wrapper. */
public final class PhysicalPlans {
  private PhysicalPlans() {}

  public static SparkPlan of(Dataset<Row> query) {
    SparkSession spark = query.sparkSession();
    String adaptive = spark.conf().get(TestSpark.ADAPTIVE);
    spark.conf().set(TestSpark.ADAPTIVE, "false");
    try {
      return query.queryExecution().executedPlan();
    } finally {
      spark.conf().set(TestSpark.ADAPTIVE, adaptive);
    }
  }

  public static List<SparkPlan> leaves(SparkPlan plan) {
    return scala.jdk.javaapi.CollectionConverters.asJava(plan.collectLeaves());
  }
}
