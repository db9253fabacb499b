package dev.chatbotroi.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * Streams the records of a file that is one JSON document (or several concatenated): each
 * top-level value, and each element of a top-level array, with its exact text and the 1-based line
 * it starts on; grain: one record. Only the record being read is held in memory, so a document of
 * any size streams; Jackson finds the boundaries without building trees.
 */
final class JsonDocuments implements Iterator<Row> {

  private static final JsonFactory JSON = new JsonFactory();

  private final String path;
  private final long base; // Jackson counts lines from 1 at the first line it is given
  private final long maxBytes;
  private final Recording text;
  private final JsonParser parser;
  private boolean inArray;
  private boolean done;
  private Row next;
  /** Where the last good record ended: a syntax error after it starts the malformed remainder there. */
  private long lastEnd;
  private long lastEndLine;

  /** {@code firstLine} is line {@code firstLineNo}; {@code rest} holds the rest of the file's bytes. */
  JsonDocuments(String path, long firstLineNo, String firstLine, InputStream rest, long maxBytes) throws IOException {
    this.path = path;
    this.base = firstLineNo - 1;
    this.maxBytes = maxBytes;
    this.text = new Recording(new StringReader(firstLine + "\n"),
        new InputStreamReader(rest, StandardCharsets.UTF_8));
    this.parser = JSON.createParser(text);
    this.lastEndLine = 1;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = advance();
    }
    return next != null;
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

  private Row advance() {
    try {
      while (true) {
        JsonToken t = parser.nextToken();
        if (t == null) {
          return finish(null);
        }
        if (!inArray && t == JsonToken.START_ARRAY) {
          inArray = true;
          continue;
        }
        if (inArray && t == JsonToken.END_ARRAY) {
          inArray = false;
          markEnd();
          continue;
        }
        JsonLocation start = parser.currentTokenLocation();
        parser.skipChildren();
        long end = parser.currentLocation().getCharOffset();
        String record = text.slice(start.getCharOffset(), end);
        markEnd();
        return record(base + start.getLineNr(), record);
      }
    } catch (IOException e) {
      // broken JSON: what follows the last good record is one record, reported as malformed_json
      return finish(e);
    }
  }

  private void markEnd() {
    JsonLocation at = parser.currentLocation();
    lastEnd = at.getCharOffset();
    lastEndLine = at.getLineNr();
    text.forget(lastEnd);
  }

  private Row finish(IOException error) {
    done = true;
    if (error == null) {
      closeQuietly();
      return null;
    }
    try (JsonParser closing = parser) {
      Remainder r = text.remainder(lastEnd, maxBytes);
      if (r.text().isBlank()) {
        return null;
      }
      String stripped = r.text().stripLeading();
      String lead = r.text().substring(0, r.text().length() - stripped.length());
      long line = base + lastEndLine + lead.chars().filter(c -> c == '\n').count();
      return LineReader.row(path, line, stripped, r.tooLong() ? ByteLines.TOO_LONG : null);
    } catch (IOException e) {
      return LineReader.fileError(path, e);
    }
  }

  private Row record(long line, String record) {
    if (record.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      return LineReader.row(path, line, LineReader.rawPrefix(record), ByteLines.TOO_LONG);
    }
    return LineReader.row(path, line, record, null);
  }

  private void closeQuietly() {
    try {
      parser.close();
    } catch (IOException ignored) {
      // the file is read to its end or failed already; nothing is left to report
    }
  }

  /** The text after a syntax error, and whether it was cut at the line limit. */
  record Remainder(String text, boolean tooLong) {}

  /**
   * A reader that keeps what it has handed out since the last {@link #forget} offset, so a record's
   * exact text can be sliced by the parser's character offsets.
   */
  static final class Recording extends Reader {
    private final Reader first;
    private final Reader second;
    private boolean onSecond;
    private final StringBuilder kept = new StringBuilder();
    private long keptFrom;

    Recording(Reader first, Reader second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = onSecond ? second.read(buf, off, len) : first.read(buf, off, len);
      if (n < 0 && !onSecond) {
        onSecond = true;
        n = second.read(buf, off, len);
      }
      if (n > 0) {
        kept.append(buf, off, n);
      }
      return n;
    }

    String slice(long from, long to) {
      return kept.substring((int) (from - keptFrom), (int) (to - keptFrom));
    }

    void forget(long upTo) {
      kept.delete(0, (int) (upTo - keptFrom));
      keptFrom = upTo;
    }

    /** Everything from {@code from} to the end of the input, keeping at most about {@code maxBytes}. */
    Remainder remainder(long from, long maxBytes) throws IOException {
      StringBuilder sb = new StringBuilder(kept.substring((int) Math.max(0, from - keptFrom)));
      long bytes = sb.toString().getBytes(StandardCharsets.UTF_8).length;
      boolean tooLong = bytes > maxBytes;
      char[] buf = new char[1 << 16];
      int n;
      while (!tooLong && (n = read(buf, 0, buf.length)) >= 0) {
        sb.append(buf, 0, n);
        bytes += new String(buf, 0, n).getBytes(StandardCharsets.UTF_8).length;
        tooLong = bytes > maxBytes;
      }
      String s = sb.toString();
      return new Remainder(tooLong ? LineReader.rawPrefix(s) : s, tooLong);
    }

    @Override
    public void close() throws IOException {
      first.close();
      second.close();
    }
  }
}
