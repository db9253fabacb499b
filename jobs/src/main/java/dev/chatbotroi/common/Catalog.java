package dev.chatbotroi.common;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Registers the warehouse's Delta tables in the session catalog (a Hive metastore when the session has one). */
public final class Catalog {
  private Catalog() {}

  /**
   * CREATE TABLE IF NOT EXISTS db.name USING DELTA LOCATION path, for each table that exists.
   * Idempotent: a table already registered is left as it is. DDL has no Column API, hence SQL.
   */
  public static List<String> register(Tables tables, String database, List<TableSchema> candidates) {
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new UserException("--catalog-db " + database + ": expected a plain name (letters, digits, _)");
    }
    SparkSession spark = tables.spark();
    spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
    List<String> registered = new ArrayList<>();
    for (TableSchema t : tables.existing(candidates)) {
      String path = tables.path(t).replace("'", "\\'");
      spark.sql("CREATE TABLE IF NOT EXISTS `" + database + "`.`" + t.name() + "` USING DELTA LOCATION '"
          + path + "'");
      registered.add(database + "." + t.name());
    }
    return registered;
  }
}
