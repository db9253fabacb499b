package dev.chatbotroi.testing;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;

/** The final physical plan of a query and its leaves (scans), with adaptive execution off so the plan is not AQE's wrapper. */
public final class PhysicalPlans {
  private PhysicalPlans() {}

  public static SparkPlan of(Dataset<Row> query) {
    return dev.chatbotroi.common.SessionConf.with(query.sparkSession(), java.util.Map.of(TestSpark.ADAPTIVE, "false"),
        () -> query.queryExecution().executedPlan());
  }

  public static List<SparkPlan> leaves(SparkPlan plan) {
    return scala.jdk.javaapi.CollectionConverters.asJava(plan.collectLeaves());
  }
}
