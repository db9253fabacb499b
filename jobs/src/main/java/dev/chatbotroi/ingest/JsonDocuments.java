package dev.chatbotroi.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Splits a file that is one JSON document (or several concatenated) into records: each top-level
 * value, and each element of a top-level array, with the exact text as read and the 1-based line
 * it starts on. Jackson's streaming parser finds the boundaries without building trees.
 */
final class JsonDocuments {
  private JsonDocuments() {}

  private static final JsonFactory JSON = new JsonFactory();

  /** {@code firstLine} is line {@code firstLineNo}; the reader holds the rest of the file. */
  static List<Row> split(String path, long firstLineNo, String firstLine, BufferedReader rest)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(firstLine).append('\n');
    char[] buf = new char[1 << 16];
    int n;
    while ((n = rest.read(buf)) > 0) {
      sb.append(buf, 0, n);
    }
    String text = sb.toString();
    List<Row> out = new ArrayList<>();
    long base = firstLineNo - 1; // Jackson counts lines from 1 at the first line we give it
    int start = 0;
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_ARRAY) {
          while (true) {
            JsonToken e = p.nextToken();
            if (e == null || e == JsonToken.END_ARRAY) {
              break;
            }
            JsonLocation loc = p.currentTokenLocation();
            start = (int) loc.getCharOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getCharOffset();
            out.add(RowFactory.create(path, base + loc.getLineNr(), text.substring(start, end), null));
          }
        } else {
          JsonLocation loc = p.currentTokenLocation();
          start = (int) loc.getCharOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getCharOffset();
          out.add(RowFactory.create(path, base + loc.getLineNr(), text.substring(start, end), null));
        }
        start = (int) p.currentLocation().getCharOffset();
      }
    } catch (IOException e) {
      // Broken JSON: what is left from the last good boundary is one record, which validation
      // reports as malformed_json with its line.
      String left = text.substring(Math.min(start, text.length()));
      if (!left.isBlank()) {
        int lead = 0;
        while (lead < left.length() && Character.isWhitespace(left.charAt(lead))) {
          lead++;
        }
        long line = base + 1 + text.substring(0, start + lead).chars().filter(c -> c == '\n').count();
        out.add(RowFactory.create(path, line, left.substring(lead), null));
      }
    }
    return out;
  }
}
