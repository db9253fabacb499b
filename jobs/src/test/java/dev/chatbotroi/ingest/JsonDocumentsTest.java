package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** A JSON-document file split into records, streamed: exact texts, start lines, and broken JSON. */
class JsonDocumentsTest {

  /** Splits {@code doc} whose first line is line 1; returns "line|text|line_error" per record. */
  static List<String> split(String doc, long max) throws IOException {
    int nl = doc.indexOf('\n');
    String first = nl < 0 ? doc : doc.substring(0, nl);
    String rest = nl < 0 ? "" : doc.substring(nl + 1);
    JsonDocuments d = new JsonDocuments("f", 1, first,
        new ByteArrayInputStream(rest.getBytes(StandardCharsets.UTF_8)), max);
    List<String> out = new ArrayList<>();
    while (d.hasNext()) {
      Row r = d.next();
      assertNull(r.get(3), "no file error");
      out.add(r.getLong(1) + "|" + r.getString(2) + "|" + r.get(4));
    }
    return out;
  }

  @Test
  void elementsOfATopLevelArrayWithTheLineTheyStartOn() throws IOException {
    String doc = "[\n  {\"a\": 1},\n  {\"b\":\n    [1, 2]},\n  {\"c\": \"x\"}\n]\n";
    assertEquals(List.of("2|{\"a\": 1}|null", "3|{\"b\":\n    [1, 2]}|null", "5|{\"c\": \"x\"}|null"),
        split(doc, 1 << 20));
  }

  @Test
  void concatenatedDocumentsAndAnArrayAfterThem() throws IOException {
    String doc = "{\n \"a\": 1\n}\n{\"b\": 2}\n[{\"c\": 3}]";
    assertEquals(List.of("1|{\n \"a\": 1\n}|null", "4|{\"b\": 2}|null", "5|{\"c\": 3}|null"), split(doc, 1 << 20));
  }

  @Test
  void aSyntaxErrorBetweenElementsStartsTheRemainderAfterTheLastGoodOne() throws IOException {
    String doc = "[\n{\"a\": 1},\n{\"b\": 2} oops {\"c\": 3}\n]\n";
    List<String> r = split(doc, 1 << 20);
    assertEquals(3, r.size(), r.toString());
    assertEquals("2|{\"a\": 1}|null", r.get(0));
    assertEquals("3|{\"b\": 2}|null", r.get(1));
    assertEquals("3|oops {\"c\": 3}\n]\n|null", r.get(2), "the remainder does not repeat {\"b\": 2}");
  }

  @Test
  void aRecordOverTheLimitIsCutAndFlagged() throws IOException {
    String big = "{\"q\": \"" + "z".repeat(5000) + "\"}";
    List<String> r = split("[\n" + big + ",\n{\"ok\": 1}\n]", 1024);
    assertEquals(2, r.size());
    assertEquals("2|" + big + "|too_long", r.get(0), "under 64 KiB the cut keeps the whole text");
    assertEquals("3|{\"ok\": 1}|null", r.get(1));
  }
}
