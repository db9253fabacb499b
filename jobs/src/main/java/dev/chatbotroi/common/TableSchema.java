package dev.chatbotroi.common;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/** The name, column order, schema and partitioning of one Delta table of the warehouse. */
public record TableSchema(String name, StructType schema, List<String> partitionBy) {
  public TableSchema(String name, StructType schema, String... partitionBy) {
    this(name, schema, Arrays.asList(partitionBy));
  }

  public String[] columns() {
    return schema.fieldNames();
  }
}
