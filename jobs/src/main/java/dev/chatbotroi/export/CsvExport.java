package dev.chatbotroi.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.UserException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/** Writes each existing output table as one `<out>/<table>.csv` (formats: docs/reference.md#exports). */
public final class CsvExport {
  private CsvExport() {}

  /**
   * Exports the tables that exist, in the given order; returns the files written. Text cells a
   * spreadsheet would run as a formula are neutralised unless {@code raw} ({@link #neutralised}).
   */
  public static List<String> write(Tables tables, List<TableSchema> candidates, String out, boolean raw) {
    List<String> written = new ArrayList<>();
    for (TableSchema t : tables.existing(candidates)) {
      written.add(writeOne(tables, t, out, raw));
    }
    return written;
  }

  /** Every column as text the way docs/reference.md#exports says: ISO-8601 UTC timestamps, plain decimals. */
  public static Dataset<Row> formatted(Dataset<Row> rows, boolean raw) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      Column c = format(col(f.name()), f.dataType());
      cols.add((raw || f.dataType() != DataTypes.StringType ? c : neutralised(c)).as(f.name()));
    }
    return rows.select(cols.toArray(new Column[0]));
  }

  /** The characters that make a spreadsheet read a cell as a formula or command (OWASP's list). */
  static final String FORMULA_START = "^[=+\\-@\t\r]";

  /**
   * A text cell that starts like a formula, with a leading {@code '}: a knowledge-gap question
   * {@code =HYPERLINK(…)} opens as text in a spreadsheet instead of running. Text columns only;
   * numbers, dates and booleans are never touched.
   */
  static Column neutralised(Column text) {
    return when(text.rlike(FORMULA_START), concat(lit("'"), text)).otherwise(text);
  }

  static Column format(Column c, DataType type) {
    if (type == DataTypes.TimestampType) {
      // the session time zone is UTC, so date_format prints UTC wall time
      return when(c.equalTo(date_trunc("second", c)), date_format(c, "yyyy-MM-dd'T'HH:mm:ss'Z'"))
          .otherwise(regexp_replace(date_format(c, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"), "0+Z$", "Z"));
    }
    if (type == DataTypes.DoubleType || type == DataTypes.FloatType) {
      // plain notation (no 1.0E-4) with trailing zeros trimmed
      Column plain = c.cast(DataTypes.createDecimalType(38, 12)).cast(DataTypes.StringType);
      return when(c.isNull().or(isnan(c)), lit(null).cast(DataTypes.StringType))
          .otherwise(trimZeros(plain));
    }
    if (type instanceof DecimalType) {
      return trimZeros(c.cast(DataTypes.StringType));
    }
    if (type instanceof ArrayType) {
      return to_json(c); // CSV has no lists: ["a","b"]
    }
    if (type == DataTypes.DateType) {
      return date_format(c, "yyyy-MM-dd");
    }
    return c.cast(DataTypes.StringType);
  }

  private static Column trimZeros(Column s) {
    return regexp_replace(regexp_replace(s, "(\\.[0-9]*?)0+$", "$1"), "\\.$", "");
  }

  private static String writeOne(Tables tables, TableSchema t, String out, boolean raw) {
    String tmp = out + "/._tmp_" + t.name();
    formatted(tables.read(t), raw).coalesce(1).write()
        .mode("overwrite")
        .option("header", "true")
        .option("escape", "\"")
        .option("nullValue", "")
        .option("emptyValue", "")
        .csv(tmp);
    Path dir = new Path(tmp);
    Path target = new Path(out, t.name() + ".csv");
    try {
      FileSystem fs = dir.getFileSystem(tables.spark().sparkContext().hadoopConfiguration());
      if (fs instanceof ChecksumFileSystem checked) {
        fs = checked.getRawFileSystem(); // no .crc files beside the exports: BI tools would list them
      }
      Path part = null;
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.getPath().getName().startsWith("part-")) {
          part = st.getPath();
        }
      }
      if (part == null) {
        throw new UserException("export of " + t.name() + " produced no file under " + tmp);
      }
      fs.delete(target, false);
      if (!fs.rename(part, target)) {
        throw new UserException("cannot move " + part + " to " + target);
      }
      fs.delete(dir, true);
      return target.toString();
    } catch (IOException e) {
      throw new UserException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
