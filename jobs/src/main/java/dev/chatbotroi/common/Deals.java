package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Links CRM deals to their lead (docs/attribution.md): the deal's lead_id, else the earliest-created lead with its e-mail hash. */
public final class Deals {
  private Deals() {}

  /** Deals with an `owner_lead_id` column (null when neither link exists). Email ties go to the smallest lead_id. */
  public static Dataset<Row> owned(Dataset<Row> deals, Dataset<Row> leads) {
    Dataset<Row> byEmail = leads.where(col("email_hash").isNotNull())
        .groupBy(col("email_hash").as("_email"))
        // a lead without created_at sorts last, not first
        .agg(min(struct(col("created_at").isNull().as("_undated"), col("created_at"), col("lead_id")))
            .getField("lead_id").as("_email_lead"));
    return deals.join(byEmail, deals.col("contact_email_hash").equalTo(byEmail.col("_email")), "left")
        .withColumn("owner_lead_id", coalesce(col("lead_id"), col("_email_lead")))
        .drop("_email", "_email_lead");
  }

  /** A deal's gross profit: `gross_profit` as delivered, else amount × `crm.default-gross-margin`. */
  public static Column grossProfit(Settings settings) {
    return coalesce(col("gross_profit"), col("amount").multiply(lit(settings.crmDefaultGrossMargin())))
        .cast(Schemas.MONEY);
  }
}
