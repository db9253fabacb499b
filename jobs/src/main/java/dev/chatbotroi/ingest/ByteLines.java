package dev.chatbotroi.ingest;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines the way docs/ingest.md fixes it; grain: one physical line. A
 * byte-order mark at the very start is dropped, a line ends in {@code \n} and one {@code \r} before
 * it belongs to the ending. Each line is read once: a line longer than the limit is only counted
 * past the bytes kept for its quarantine prefix, so a 30 MB line costs a scan, not a parse.
 */
final class ByteLines implements Closeable {

  /** Why a line cannot be read as text: longer than the limit, or not valid UTF-8. */
  static final String TOO_LONG = "too_long";
  static final String ENCODING = "encoding";

  /** The most a too-long line keeps of itself in quarantine, cut on a character boundary. */
  static final int RAW_PREFIX_BYTES = 65_536;

  /**
   * What the reader keeps of a too-long line: the quarantine prefix and a margin, so that an address
   * straddling the cut is still whole when it is hashed; the quarantine cuts to {@link #RAW_PREFIX_BYTES}
   * after hashing (the hash is longer than most addresses), and no part of an address is kept raw.
   */
  static final int READ_PREFIX_BYTES = RAW_PREFIX_BYTES + 1024;

  /** One non-blank line: its 1-based number, its text, and why it is unreadable (null when it is fine). */
  record Line(long number, String text, String error) {}

  private final InputStream in;
  private final long maxBytes;
  /** Bytes kept per line: enough to decode a line at the limit (plus its \r), or the quarantine prefix. */
  private final int keep;
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int lim;
  private byte[] line = new byte[1 << 12];
  private long lineNo;
  private boolean started;
  private boolean eof;

  ByteLines(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.keep = (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(maxBytes + 1, READ_PREFIX_BYTES + 1L));
  }

  /** The next line that is not blank, or null at the end of the stream; blank lines are skipped uncounted. */
  Line next() throws IOException {
    while (true) {
      if (!fill()) {
        return null;
      }
      if (!started) {
        started = true;
        skipByteOrderMark();
      }
      Line l = readLine();
      if (l != null) {
        return l;
      }
      if (eof && pos >= lim) {
        return null;
      }
    }
  }

  /** The rest of the stream after the last line returned, for a reader that takes a whole document over. */
  InputStream rest() {
    InputStream buffered = new ByteArrayInputStream(Arrays.copyOfRange(chunk, pos, lim));
    pos = lim;
    return new SequenceInputStream(buffered, in);
  }

  /** The number of the last line read (blank ones included). */
  long lineNumber() {
    return lineNo;
  }

  private boolean fill() throws IOException {
    if (pos < lim) {
      return true;
    }
    if (eof) {
      return false;
    }
    int n = in.read(chunk, 0, chunk.length);
    while (n == 0) {
      n = in.read(chunk, 0, chunk.length);
    }
    if (n < 0) {
      eof = true;
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  private void skipByteOrderMark() throws IOException {
    // the three bytes EF BB BF may straddle a read; compare as far as the buffer goes
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    while (lim - pos < 3 && !eof) {
      int n = in.read(chunk, lim, chunk.length - lim);
      if (n < 0) {
        eof = true;
      } else {
        lim += n;
      }
    }
    if (lim - pos >= 3 && chunk[pos] == bom[0] && chunk[pos + 1] == bom[1] && chunk[pos + 2] == bom[2]) {
      pos += 3;
    }
  }

  /** Reads one physical line; returns it, or null when it was blank. */
  private Line readLine() throws IOException {
    long length = 0; // bytes before the \n
    int kept = 0;
    byte last = 0;
    boolean ended = false;
    while (!ended && fill()) {
      int start = pos;
      int nl = -1;
      for (int i = pos; i < lim; i++) {
        if (chunk[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? lim : nl;
      int n = end - start;
      if (n > 0) {
        int take = (int) Math.min(n, (long) keep - kept);
        if (take > 0) {
          ensure(kept + take);
          System.arraycopy(chunk, start, line, kept, take);
          kept += take;
        }
        length += n;
        last = chunk[end - 1];
      }
      pos = nl < 0 ? lim : nl + 1;
      ended = nl >= 0;
    }
    if (!ended && length == 0) {
      return null; // end of stream after the last \n
    }
    lineNo++;
    long content = length > 0 && last == '\r' ? length - 1 : length;
    if (content > maxBytes) {
      return new Line(lineNo, prefix(content), TOO_LONG);
    }
    int n = (int) content;
    String text = new String(line, 0, n, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0 && !validUtf8(line, n)) {
      return new Line(lineNo, text, ENCODING);
    }
    return text.isBlank() ? null : new Line(lineNo, text, null);
  }

  /** The longest prefix of at most {@link #READ_PREFIX_BYTES} bytes that does not cut a character. */
  private String prefix(long content) {
    int p = (int) Math.min(READ_PREFIX_BYTES, content);
    while (p > 0 && p < content && (line[p] & 0xC0) == 0x80) {
      p--; // line[p] continues the character before it: cut before that character starts
    }
    return new String(line, 0, p, StandardCharsets.UTF_8);
  }

  /** A U+FFFD in the decoded text may have been sent as such; only a strict decode tells. */
  private static boolean validUtf8(byte[] bytes, int n) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private void ensure(int size) {
    if (size > line.length) {
      line = Arrays.copyOf(line, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(size, 2L * line.length)));
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
