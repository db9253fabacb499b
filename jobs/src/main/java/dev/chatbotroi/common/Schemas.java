package dev.chatbotroi.common;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small builders for the table schema constants. */
public final class Schemas {
  private Schemas() {}

  /** Money: exact decimals, so sums reconcile to the cent. */
  public static final DataType MONEY = DataTypes.createDecimalType(38, 6);

  public static StructType struct(StructField... fields) {
    return new StructType(fields);
  }

  public static StructField str(String name) {
    return DataTypes.createStructField(name, StringType, true);
  }

  public static StructField ts(String name) {
    return DataTypes.createStructField(name, TimestampType, true);
  }

  public static StructField date(String name) {
    return DataTypes.createStructField(name, DateType, true);
  }

  public static StructField lng(String name) {
    return DataTypes.createStructField(name, LongType, true);
  }

  public static StructField integer(String name) {
    return DataTypes.createStructField(name, IntegerType, true);
  }

  public static StructField dbl(String name) {
    return DataTypes.createStructField(name, DataTypes.DoubleType, true);
  }

  public static StructField bool(String name) {
    return DataTypes.createStructField(name, BooleanType, true);
  }

  public static StructField money(String name) {
    return DataTypes.createStructField(name, MONEY, true);
  }
}
