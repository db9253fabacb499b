package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Turns input files into rows of (source_file, line_number, raw[, file_error]) plus, for tables, their cells. */
public final class InputRows {
  private InputRows() {}

  /**
   * Event lines from NDJSON (LineReader) and Parquet (one JSON object per row) files; with
   * {@code documents}, a text file that is one JSON document yields one row per record in it
   * ({@link LineReader#readRecords}).
   */
  public static Dataset<Row> eventLines(SparkSession spark, List<InputFile> files, boolean documents,
      long maxLineBytes) {
    List<InputFile> text = new ArrayList<>();
    List<String> parquet = new ArrayList<>();
    for (InputFile f : files) {
      if (InputFile.PARQUET.equals(f.format())) {
        parquet.add(f.path());
      } else {
        text.add(f);
      }
    }
    Dataset<Row> lines = documents ? LineReader.readRecords(spark, text, maxLineBytes)
        : LineReader.read(spark, text, maxLineBytes);
    if (!parquet.isEmpty()) {
      Dataset<Row> pq = spark.read().option("mergeSchema", "true").parquet(parquet.toArray(new String[0]));
      List<Column> data = new ArrayList<>();
      for (StructField f : pq.schema().fields()) {
        data.add(col(f.name()));
      }
      lines = lines.unionByName(pq.select(
          col("_metadata.file_path").as(LineReader.SOURCE_FILE),
          col("_metadata.row_index").plus(1).as(LineReader.LINE_NUMBER),
          to_json(struct(data.toArray(new Column[0]))).as(LineReader.RAW),
          lit(null).cast(DataTypes.StringType).as(LineReader.FILE_ERROR),
          lit(null).cast(DataTypes.StringType).as(LineReader.LINE_ERROR)));
    }
    return lines;
  }

  /**
   * Rows of one CRM / help-desk table: the reader columns plus one trimmed string column per
   * header name of {@code source} (null when the file lacks that column).
   */
  public static Dataset<Row> tableRows(SparkSession spark, List<InputFile> files, CrmRecords.Source source,
      long maxLineBytes) {
    return tableRows(spark, files, source.headerColumns(), maxLineBytes);
  }

  /** As above for any list of (lower-case) header names, e.g. the vendor columns a preset reads. */
  public static Dataset<Row> tableRows(SparkSession spark, List<InputFile> files, List<String> wanted,
      long maxLineBytes) {
    Dataset<Row> out = null;
    // Files with the same header are parsed together; headers are read on the driver (one line each).
    Map<String, List<InputFile>> byHeader = new LinkedHashMap<>();
    Map<String, Long> headerLine = new HashMap<>();
    List<String> parquet = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (InputFile f : files) {
      if (InputFile.PARQUET.equals(f.format())) {
        parquet.add(f.path());
        continue;
      }
      String[] header = readHeader(spark, f.path(), maxLineBytes);
      if (header == null) {
        unreadable.add(f.path());
        continue;
      }
      String key = header[1] + "\u0000" + header[0];
      byHeader.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
      headerLine.put(key, Long.parseLong(header[1]));
    }
    for (Map.Entry<String, List<InputFile>> e : byHeader.entrySet()) {
      String headerText = e.getKey().substring(e.getKey().indexOf('\u0000') + 1);
      List<String> names = new ArrayList<>();
      StructType schema = new StructType();
      int i = 0;
      for (String h : parseHeader(headerText)) {
        String n = "_c" + (i++);
        names.add(h);
        schema = schema.add(n, DataTypes.StringType);
      }
      Dataset<Row> lines = LineReader.read(spark, e.getValue(), maxLineBytes)
          .where(col(LineReader.LINE_NUMBER).gt(headerLine.get(e.getKey()))
              .or(col(LineReader.LINE_NUMBER).lt(0)));
      Map<String, String> opts = Map.of("mode", "PERMISSIVE");
      // a line cut at the limit or not UTF-8 keeps its raw text for quarantine but has no cells
      Dataset<Row> parsed = lines.withColumn("_cells", when(col(LineReader.LINE_ERROR).isNull(),
          from_csv(col(LineReader.RAW), lit(schema.toDDL()), opts)));
      List<Column> cols = readerColumns();
      for (String w : wanted) {
        int idx = names.indexOf(w);
        cols.add(idx < 0 ? lit(null).cast(DataTypes.StringType).as(w) : col("_cells._c" + idx).as(w));
      }
      Dataset<Row> part = parsed.select(cols.toArray(new Column[0]));
      out = out == null ? part : out.unionByName(part);
    }
    if (!parquet.isEmpty()) {
      Dataset<Row> pq = spark.read().option("mergeSchema", "true").parquet(parquet.toArray(new String[0]));
      Map<String, StructField> present = new HashMap<>();
      List<Column> data = new ArrayList<>();
      for (StructField f : pq.schema().fields()) {
        present.put(f.name().trim().toLowerCase(Locale.ROOT), f);
        data.add(col(f.name()));
      }
      List<Column> cols = new ArrayList<>(List.of(
          col("_metadata.file_path").as(LineReader.SOURCE_FILE),
          col("_metadata.row_index").plus(1).as(LineReader.LINE_NUMBER),
          to_json(struct(data.toArray(new Column[0]))).as(LineReader.RAW),
          lit(null).cast(DataTypes.StringType).as(LineReader.FILE_ERROR),
          lit(null).cast(DataTypes.StringType).as(LineReader.LINE_ERROR)));
      for (String w : wanted) {
        StructField f = present.get(w);
        Column c;
        if (f == null) {
          c = lit(null).cast(DataTypes.StringType);
        } else if (f.dataType() == DataTypes.TimestampType) {
          // an instant: keep its offset, so it is not re-read as reporting-zone local time
          c = date_format(col(f.name()), "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");
        } else {
          c = col(f.name()).cast(DataTypes.StringType);
        }
        cols.add(c.as(w));
      }
      Dataset<Row> part = pq.select(cols.toArray(new Column[0]));
      out = out == null ? part : out.unionByName(part);
    }
    for (String path : unreadable) {
      List<Column> cols = new ArrayList<>(List.of(lit(path).as(LineReader.SOURCE_FILE),
          lit(-1L).as(LineReader.LINE_NUMBER), lit(null).cast(DataTypes.StringType).as(LineReader.RAW),
          lit("cannot read the header line").as(LineReader.FILE_ERROR),
          lit(null).cast(DataTypes.StringType).as(LineReader.LINE_ERROR)));
      for (String w : wanted) {
        cols.add(lit(null).cast(DataTypes.StringType).as(w));
      }
      Dataset<Row> part = spark.range(1).select(cols.toArray(new Column[0]));
      out = out == null ? part : out.unionByName(part);
    }
    if (out == null) {
      List<Column> cols = readerColumns();
      for (String w : wanted) {
        cols.add(lit(null).cast(DataTypes.StringType).as(w));
      }
      out = LineReader.read(spark, List.of(), maxLineBytes).select(cols.toArray(new Column[0]));
    }
    return out;
  }

  private static List<Column> readerColumns() {
    return new ArrayList<>(List.of(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        col(LineReader.RAW), col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR)));
  }

  /** Header names: split on commas outside quotes, unquoted, trimmed, lower-cased. */
  static List<String> parseHeader(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString().trim().toLowerCase(Locale.ROOT));
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().trim().toLowerCase(Locale.ROOT));
    if (!out.isEmpty() && out.get(0).startsWith("\ufeff")) {
      out.set(0, out.get(0).substring(1)); // byte-order mark written by spreadsheet exports
    }
    return out;
  }

  /** {header text, 1-based line number} of the first non-blank line, or null if unreadable/empty. */
  private static String[] readHeader(SparkSession spark, String path, long maxLineBytes) {
    try {
      ByteLines.Line first = LineReader.firstLine(path, spark.sparkContext().hadoopConfiguration(), maxLineBytes);
      if (first == null) {
        return new String[] {"", "0"};
      }
      return first.error() != null ? null : new String[] {first.text(), String.valueOf(first.number())};
    } catch (IOException e) {
      return null;
    }
  }
}
