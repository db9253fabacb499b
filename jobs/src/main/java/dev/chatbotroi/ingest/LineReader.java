package dev.chatbotroi.ingest;

import static dev.chatbotroi.common.Schemas.*;

import java.io.IOException;
import java.io.InputStream;
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
 * number; grain: one line. Spark's text source has no line numbers, and the copy with the smallest
 * (file, line) is the one kept, so lines are read here, streaming, with small files packed into
 * tasks by size the way Spark's file sources pack them ({@link FileBins}). The line rules
 * (byte-order mark, \r\n, too-long and non-UTF-8 lines) are {@link ByteLines}'s; docs/ingest.md.
 */
public final class LineReader {
  private LineReader() {}

  public static final String SOURCE_FILE = "source_file";
  public static final String LINE_NUMBER = "line_number";
  public static final String RAW = "raw";
  /** Set (and raw null) on the one extra row of a file that failed part-way, e.g. a truncated .gz. */
  public static final String FILE_ERROR = "file_error";
  /** Why a line is unreadable as text ({@code too_long}, {@code encoding}); its raw is what could be kept. */
  public static final String LINE_ERROR = "line_error";

  public static final StructType SCHEMA =
      struct(str(SOURCE_FILE), lng(LINE_NUMBER), str(RAW), str(FILE_ERROR), str(LINE_ERROR));

  /** The lines of {@code files}, none longer than {@code maxLineBytes} (longer ones are cut and flagged). */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, long maxLineBytes) {
    return read(spark, files, false, maxLineBytes);
  }

  /**
   * Like {@link #read} but a file that is one JSON document (its first non-blank line is `{` alone
   * or starts with `[`: a pretty-printed object, a JSON array of records) yields one row per
   * top-level value, and per element of a top-level array, numbered by the line it starts on.
   * Other files are read line by line. Used by the input presets (docs/inputs.md): transcripts,
   * trackers and batch payloads are exported that way.
   */
  public static Dataset<Row> readRecords(SparkSession spark, List<InputFile> files, long maxLineBytes) {
    return read(spark, files, true, maxLineBytes);
  }

  private static Dataset<Row> read(SparkSession spark, List<InputFile> files, boolean documents, long maxLineBytes) {
    if (files.isEmpty()) {
      return spark.createDataFrame(new ArrayList<Row>(), SCHEMA);
    }
    Map<String, String> conf = new HashMap<>();
    for (Map.Entry<String, String> e : (Iterable<Map.Entry<String, String>>) spark.sparkContext().hadoopConfiguration()) {
      conf.put(e.getKey(), e.getValue());
    }
    List<String> bins = FileBins.pack(files, spark);
    Dataset<String> tasks = spark.createDataset(
        spark.sparkContext().parallelize(
            scala.jdk.javaapi.CollectionConverters.asScala(bins).toSeq(), bins.size(),
            scala.reflect.ClassTag$.MODULE$.apply(String.class)),
        Encoders.STRING());
    // a task reads the files of its bin one after the other, each streamed
    FlatMapFunction<String, Row> lines = bin -> FileBins.paths(bin).stream()
        .flatMap(path -> java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(
            new FileLines(path, conf, documents, maxLineBytes), java.util.Spliterator.ORDERED), false))
        .iterator();
    return tasks.flatMap(lines, Encoders.row(SCHEMA));
  }

  static Row row(String path, long line, String raw, String lineError) {
    return RowFactory.create(path, line, raw, null, lineError);
  }

  static Row fileError(String path, Exception e) {
    String m = e.getMessage();
    return RowFactory.create(path, -1L, null,
        e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' ')), null);
  }

  /** The longest prefix of {@code s} of at most {@link ByteLines#READ_PREFIX_BYTES} UTF-8 bytes. */
  static String rawPrefix(String s) {
    return prefix(s, ByteLines.READ_PREFIX_BYTES);
  }

  /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes (whole characters). */
  static String prefix(String s, int maxBytes) {
    if (s == null) {
      return null;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int b = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + b > maxBytes) {
        break;
      }
      bytes += b;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  /**
   * Opens a file's bytes, decompressing .gz. Hadoop's local file system checks a `.name.crc` beside
   * the file; a stale one left by another tool would fail a good file, so local reads bypass it.
   */
  static InputStream open(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    if (fs instanceof ChecksumFileSystem checked) {
      fs = checked.getRawFileSystem();
    }
    InputStream in = fs.open(p);
    if (path.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  /** The first non-blank line of a file (a CSV header) and its number, or null when the file has none. */
  static ByteLines.Line firstLine(String path, Configuration conf, long maxLineBytes) throws IOException {
    try (ByteLines lines = new ByteLines(open(path, conf), maxLineBytes)) {
      return lines.next();
    }
  }

  /** Lazily yields the lines of one file, so a file of any size streams through a task. */
  static final class FileLines implements Iterator<Row> {
    private final String path;
    private final ByteLines lines;
    private final boolean documents;
    private final long maxLineBytes;
    private Row next;
    private boolean done;
    private Iterator<Row> pending;
    private boolean decided;

    FileLines(String path, Map<String, String> confEntries, boolean documents, long maxLineBytes) {
      this.path = path;
      this.documents = documents;
      this.maxLineBytes = maxLineBytes;
      ByteLines l = null;
      try {
        Configuration conf = new Configuration(false);
        confEntries.forEach(conf::set);
        l = new ByteLines(open(path, conf), maxLineBytes);
      } catch (IOException e) {
        next = fileError(path, e);
        done = true;
      }
      this.lines = l;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (pending != null) {
        return pendingNext();
      }
      if (done) {
        return false;
      }
      try {
        ByteLines.Line line = lines.next();
        if (line == null) {
          close();
          return false;
        }
        boolean first = !decided;
        decided = true;
        if (documents && first && line.error() == null && isDocumentStart(line.text())) {
          pending = new JsonDocuments(path, line.number(), line.text(), lines.rest(), maxLineBytes);
          return pendingNext();
        }
        next = row(path, line.number(), line.text(), line.error());
        return true;
      } catch (IOException | RuntimeException e) {
        // The lines before the failure were read and count; the file itself is reported once.
        next = fileError(path, e);
        closeQuietly();
        return true;
      }
    }

    private boolean pendingNext() {
      try {
        if (pending.hasNext()) {
          next = pending.next();
          return true;
        }
      } catch (RuntimeException e) {
        next = fileError(path, e);
      }
      pending = java.util.Collections.emptyIterator();
      closeQuietly();
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
      lines.close();
    }

    private void closeQuietly() {
      done = true;
      try {
        lines.close();
      } catch (IOException ignored) {
        // already failing; the file error row carries the first cause
      }
    }
  }
}
