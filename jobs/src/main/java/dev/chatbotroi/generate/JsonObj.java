package dev.chatbotroi.generate;

/** Builds the compact text of one JSON object, members in the order they are added. */
final class JsonObj {
  private final StringBuilder sb = new StringBuilder(224).append('{');
  private boolean empty = true;

  /** Adds a string member; a null value leaves the member out. */
  JsonObj str(String key, String value) {
    if (value == null) {
      return this;
    }
    key(key);
    quoteInto(sb, value);
    return this;
  }

  /** Adds a member whose value is already JSON text; a null value leaves the member out. */
  JsonObj raw(String key, String json) {
    if (json == null) {
      return this;
    }
    key(key);
    sb.append(json);
    return this;
  }

  String close() {
    return sb.append('}').toString();
  }

  private void key(String key) {
    if (!empty) {
      sb.append(',');
    }
    empty = false;
    quoteInto(sb, key);
    sb.append(':');
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quoteInto(b, s);
    return b.toString();
  }

  static void quoteInto(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
