package dev.chatbotroi.common;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The name, column order, schema and partitioning of one Delta table of the warehouse, and how it
 * is exported (its natural key, the column that says which period a row belongs to, the indexes BI
 * filters want); grain: one table.
 */
public record TableSchema(String name, StructType schema, List<String> partitionBy, Export export) {

  /** What a row's period is: a date column, a timestamp column read as a UTC date, or none (replaced whole). */
  public enum PeriodKind { DATE, TIMESTAMP, NONE }

  /** How the table is exported: key (may be empty), period column and its kind, indexes (column lists). */
  public record Export(List<String> key, String periodColumn, PeriodKind periodKind, List<List<String>> indexes) {
    public static final Export NONE = new Export(List.of(), null, PeriodKind.NONE, List.of());
  }

  public TableSchema(String name, StructType schema, String... partitionBy) {
    this(name, schema, Arrays.asList(partitionBy), Export.NONE);
  }

  /** This table, exported with the given key, period and indexes. */
  public TableSchema exported(List<String> key, String periodColumn, PeriodKind periodKind,
      List<List<String>> indexes) {
    return new TableSchema(name, schema, partitionBy, new Export(List.copyOf(key), periodColumn, periodKind,
        List.copyOf(indexes)));
  }

  /** The table's folder in {@code warehouse} (a trailing slash there is allowed): Spark and Kernel use the same. */
  public String pathIn(String warehouse) {
    return (warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse) + "/" + name;
  }

  public String[] columns() {
    return schema.fieldNames();
  }
}
