package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line rules of docs/ingest.md on bytes: byte-order mark, line endings, too-long and non-UTF-8 lines. */
class ByteLinesTest {

  static List<ByteLines.Line> lines(byte[] bytes, long max) throws IOException {
    return lines(new ByteArrayInputStream(bytes), max);
  }

  static List<ByteLines.Line> lines(InputStream in, long max) throws IOException {
    List<ByteLines.Line> out = new ArrayList<>();
    try (ByteLines l = new ByteLines(in, max)) {
      for (ByteLines.Line line = l.next(); line != null; line = l.next()) {
        out.add(line);
      }
    }
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Hands out one byte per read, so every boundary straddles a buffer refill. */
  static InputStream trickle(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(1, len));
      }
    };
  }

  @Test
  void aByteOrderMarkAtTheStartIsDroppedAndOnlyThere() throws IOException {
    byte[] bytes = utf8("\uFEFF{\"a\":1}\n\uFEFF{\"b\":2}\n");
    for (InputStream in : List.of(new ByteArrayInputStream(bytes), trickle(bytes))) {
      List<ByteLines.Line> l = lines(in, 1 << 20);
      assertEquals(List.of(new ByteLines.Line(1, "{\"a\":1}", null), new ByteLines.Line(2, "\uFEFF{\"b\":2}", null)), l);
    }
  }

  @Test
  void crlfEndsALineButALoneCarriageReturnBelongsToIt() throws IOException {
    List<ByteLines.Line> l = lines(utf8("one\r\ntwo\rstill two\r\n\r\nfour"), 1 << 20);
    assertEquals(List.of(new ByteLines.Line(1, "one", null), new ByteLines.Line(2, "two\rstill two", null),
        new ByteLines.Line(4, "four", null)), l, "line 3 is blank: skipped, but counted in the numbering");
  }

  @Test
  void theLimitCountsBytesWithoutTheEnding() throws IOException {
    // 10 bytes: at the limit of 10 it is fine, with \r\n too; 11 bytes is too long
    List<ByteLines.Line> l = lines(utf8("0123456789\r\n0123456789\n0123456789A\n"), 10);
    assertEquals("0123456789", l.get(0).text());
    assertNull(l.get(0).error());
    assertNull(l.get(1).error());
    assertEquals(new ByteLines.Line(3, "0123456789A", ByteLines.TOO_LONG), l.get(2));
  }

  @Test
  void aTooLongLineKeepsItsPrefixCutOnACharacterBoundaryAndTheNextLineIsRead() throws IOException {
    // the reader keeps 64 KiB + 1 KiB (quarantine cuts to 64 KiB once addresses are hashed):
    // 66,559 ASCII bytes then "é" (2 bytes: the 66,560th and 66,561st): the cut may not split it
    String head = "x".repeat(66_559);
    String line = head + "é" + "y".repeat(3_000_000);
    List<ByteLines.Line> l = lines(trickleFree(utf8(line + "\n{\"next\":true}\n")), 1 << 20);
    assertEquals(2, l.size());
    assertEquals(ByteLines.TOO_LONG, l.get(0).error());
    assertEquals(head, l.get(0).text(), "66,559 bytes: the 2-byte character would end past 66,560");
    assertEquals(new ByteLines.Line(2, "{\"next\":true}", null), l.get(1));
    // a prefix that ends exactly on a boundary keeps all 66,560 bytes, and the quarantine cut keeps 65,536
    List<ByteLines.Line> even = lines(utf8("é".repeat(40_000) + "\n"), 1 << 10);
    assertEquals(66_560, utf8(even.get(0).text()).length);
    assertEquals(65_536, utf8(LineReader.prefix(even.get(0).text(), ByteLines.RAW_PREFIX_BYTES)).length);
    assertEquals(65_535, utf8(LineReader.prefix("a" + "é".repeat(40_000), ByteLines.RAW_PREFIX_BYTES)).length,
        "1 + 2 × 32,767 bytes: one more é would pass 65,536");
  }

  private static InputStream trickleFree(byte[] b) {
    return new ByteArrayInputStream(b);
  }

  @Test
  void invalidUtf8IsAnEncodingErrorButAnHonestReplacementCharacterIsNot() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(utf8("{\"q\":\"caf"));
    b.write(0xE9); // Latin-1 é: not UTF-8
    b.write(utf8("\"}\n{\"q\":\"\uFFFD sent as such\"}\n"));
    List<ByteLines.Line> l = lines(b.toByteArray(), 1 << 20);
    assertEquals(ByteLines.ENCODING, l.get(0).error());
    assertEquals("{\"q\":\"caf\uFFFD\"}", l.get(0).text());
    assertNull(l.get(1).error());
  }

  @Test
  void tooLongComesBeforeEncodingWhichComesBeforeBlank() throws IOException {
    byte[] spaces = new byte[2000];
    Arrays.fill(spaces, (byte) ' ');
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(spaces);
    b.write('\n');
    b.write(new byte[] {' ', (byte) 0xFF, ' ', '\n'});
    List<ByteLines.Line> l = lines(b.toByteArray(), 1024);
    assertEquals(ByteLines.TOO_LONG, l.get(0).error(), "a blank line over the limit is too long, not skipped");
    assertEquals(ByteLines.ENCODING, l.get(1).error(), "a blank-looking line with a bad byte is an encoding error");
  }

  @Test
  void nulBytesAndAMissingFinalNewlineAreJustText() throws IOException {
    List<ByteLines.Line> l = lines(new byte[] {'{', 0, '}'}, 100);
    assertEquals(List.of(new ByteLines.Line(1, "{\u0000}", null)), l);
  }
}
