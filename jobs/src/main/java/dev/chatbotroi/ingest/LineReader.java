package dev.chatbotroi.ingest;

import static dev.chatbotroi.common.Schemas.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Reads text files (optionally .gz) into one row per non-blank line with its file and 1-based line
 * number. Spark's text source has no line numbers, and the contract keeps the copy with the
 * smallest (file, line), so lines are read here, one task per file, streaming.
 */
public final class LineReader {
  private LineReader() {}

  public static final String SOURCE_FILE = "source_file";
  public static final String LINE_NUMBER = "line_number";
  public static final String RAW = "raw";
  /** Set (and raw null) on the one extra row of a file that failed part-way, e.g. a truncated .gz. */
  public static final String FILE_ERROR = "file_error";

  public static final StructType SCHEMA =
      struct(str(SOURCE_FILE), lng(LINE_NUMBER), str(RAW), str(FILE_ERROR));

  public static Dataset<Row> read(SparkSession spark, List<String> paths) {
    return read(spark, paths, false);
  }

  /**
   * Like {@link #read} but a file that is one JSON document (its first non-blank line is `{` alone
   * or starts with `[`: a pretty-printed object, a JSON array of records) yields one row per
   * top-level value, and per element of a top-level array, numbered by the line it starts on.
   * Other files are read line by line. Used by the input presets (docs/inputs.md): transcripts, trackers and
   * batch payloads are exported that way.
   */
  public static Dataset<Row> readRecords(SparkSession spark, List<String> paths) {
    return read(spark, paths, true);
  }

  private static Dataset<Row> read(SparkSession spark, List<String> paths, boolean documents) {
    if (paths.isEmpty()) {
      return spark.createDataFrame(new ArrayList<Row>(), SCHEMA);
    }
    Map<String, String> conf = new HashMap<>();
    for (Map.Entry<String, String> e : (Iterable<Map.Entry<String, String>>) spark.sparkContext().hadoopConfiguration()) {
      conf.put(e.getKey(), e.getValue());
    }
    int slices = Math.max(1, paths.size());
    Dataset<String> files = spark.createDataset(
        spark.sparkContext().parallelize(
            scala.jdk.javaapi.CollectionConverters.asScala(paths).toSeq(), slices,
            scala.reflect.ClassTag$.MODULE$.apply(String.class)),
        Encoders.STRING());
    FlatMapFunction<String, Row> lines = path -> new FileLines(path, conf, documents);
    return files.flatMap(lines, Encoders.row(SCHEMA));
  }

  /**
   * Opens a text file, decompressing .gz. Hadoop's local file system checks a `.name.crc` beside
   * the file; a stale one left by another tool would fail a good file, so local reads bypass it.
   */
  static BufferedReader open(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    if (fs instanceof ChecksumFileSystem checked) {
      fs = checked.getRawFileSystem();
    }
    InputStream in = fs.open(p);
    if (path.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Lazily yields the lines of one file, so a file of any size streams through a task. */
  static final class FileLines implements Iterator<Row> {
    private final String path;
    private final BufferedReader reader;
    private long lineNo;
    private Row next;
    private boolean done;
    private final boolean documents;
    private Iterator<Row> pending;
    private boolean decided;

    FileLines(String path, Map<String, String> confEntries) {
      this(path, confEntries, false);
    }

    FileLines(String path, Map<String, String> confEntries, boolean documents) {
      this.path = path;
      this.documents = documents;
      BufferedReader r = null;
      try {
        Configuration conf = new Configuration(false);
        confEntries.forEach(conf::set);
        r = open(path, conf);
      } catch (IOException e) {
        next = RowFactory.create(path, -1L, null, message(e));
        done = true;
      }
      this.reader = r;
    }

    private static String message(Exception e) {
      String m = e.getMessage();
      return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (pending != null && pending.hasNext()) {
        next = pending.next();
        return true;
      }
      if (done) {
        return false;
      }
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          lineNo++;
          if (!line.isBlank()) {
            boolean first = !decided;
            decided = true;
            if (documents && first && isDocumentStart(line)) {
              List<Row> rows = JsonDocuments.split(path, lineNo, line, reader);
              reader.close();
              done = true;
              pending = rows.iterator();
              if (pending.hasNext()) {
                next = pending.next();
              }
              return next != null;
            }
            next = RowFactory.create(path, lineNo, line, null);
            return true;
          }
        }
        close();
      } catch (IOException e) {
        // The lines before the failure were read and count; the file itself is reported once.
        next = RowFactory.create(path, -1L, null, message(e));
        closeQuietly();
      }
      done = true;
      return next != null;
    }

    /** Only the first non-blank line decides: an NDJSON file stays line-based after it. */
    private boolean isDocumentStart(String line) {
      String t = line.trim();
      return t.equals("{") || t.startsWith("[");
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    private void close() throws IOException {
      done = true;
      reader.close();
    }

    private void closeQuietly() {
      try {
        reader.close();
      } catch (IOException ignored) {
        // already failing; the file error row carries the first cause
      }
    }
  }
}
