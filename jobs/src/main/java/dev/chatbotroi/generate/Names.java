package dev.chatbotroi.generate;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Draws the realistic text of the lake: e-mail addresses, spellings of dimensions, visitor questions. */
final class Names {
  private Names() {}

  private static final List<String> FIRST = List.of("ana", "ben", "carla", "david", "elena", "farid", "grace",
      "hugo", "ines", "jon", "kira", "liam", "maya", "noah", "olga", "pedro", "quinn", "rosa", "sam", "tara",
      "umar", "vera", "wei", "yara", "zoe");
  private static final List<String> LAST = List.of("silva", "smith", "garcia", "muller", "rossi", "kim", "novak",
      "patel", "jensen", "dubois", "okafor", "tanaka", "cohen", "larsen", "costa", "nguyen", "brown", "ivanova");
  private static final List<String> DOMAINS = List.of("example.com", "example.com", "example.com", "example.org",
      "example.org", "mail.example.net");

  /** A question the bot had no approved answer for, and its topic. */
  record Question(String text, String topic) {}

  static final List<Question> QUESTIONS = List.of(
      new Question("Can I change the delivery address?", "shipping"),
      new Question("Do you ship to Canada?", "shipping"),
      new Question("Is there a student discount?", "pricing"),
      new Question("Can I pay with PayPal?", "billing"),
      new Question("How do I cancel my subscription?", "billing"),
      new Question("Do you offer gift wrapping?", "orders"),
      new Question("What is the warranty on refurbished items?", "returns"),
      new Question("Can I pick up my order in store?", "orders"),
      new Question("Do you integrate with Salesforce?", "product"),
      new Question("Is there a setup fee?", "pricing"));

  private static final List<String> ENDINGS = List.of("?", "?", "?", "", "??", " ?", "?!", ".");

  /** "first.last123@example.com": lower-case, the raw form a person types most often. */
  static String email(SplittableRandom rnd) {
    StringBuilder b = new StringBuilder(40)
        .append(FIRST.get(rnd.nextInt(FIRST.size()))).append('.')
        .append(LAST.get(rnd.nextInt(LAST.size())));
    if (rnd.nextDouble() < 0.85) {
      b.append(rnd.nextInt(1000));
    }
    return b.append('@').append(DOMAINS.get(rnd.nextInt(DOMAINS.size()))).toString();
  }

  /** "Ana.Silva12@Example.com": every dot- or at-separated word starts upper-case. */
  static String capitalise(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean start = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(start ? Character.toUpperCase(c) : c);
      start = c == '.' || c == '@' || c == '_' || c == ' ';
    }
    return b.toString();
  }

  /** The address as typed into the chat: mostly as is, some capitalised, some with stray spaces. */
  static String typed(String email, SplittableRandom rnd) {
    double r = rnd.nextDouble();
    if (r < 0.70) {
      return email;
    }
    if (r < 0.88) {
      return capitalise(email);
    }
    return (rnd.nextBoolean() ? " " : "") + (rnd.nextBoolean() ? capitalise(email) : email) + "  ";
  }

  /** A dimension value as a sloppy integration sends it: "Web ", "WHATSAPP", " Order_Status". */
  static String oddly(String value, SplittableRandom rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> capitalise(value) + " ";
      case 1 -> value.toUpperCase(Locale.ROOT);
      case 2 -> " " + capitalise(value);
      default -> capitalise(value);
    };
  }

  /** The question as a visitor typed it: varying case, spacing and trailing punctuation. */
  static String question(String question, SplittableRandom rnd) {
    String q = question.substring(0, question.length() - 1);
    switch (rnd.nextInt(5)) {
      case 0 -> q = q.toLowerCase(Locale.ROOT);
      case 1 -> q = q.toUpperCase(Locale.ROOT);
      default -> { }
    }
    if (rnd.nextDouble() < 0.25) {
      int space = q.indexOf(' ', 1 + rnd.nextInt(Math.max(1, q.length() - 2)));
      if (space > 0) {
        q = q.substring(0, space) + "  " + q.substring(space + 1);
      }
    }
    q = q + ENDINGS.get(rnd.nextInt(ENDINGS.size()));
    if (rnd.nextDouble() < 0.15) {
      q = q + "  ";
    }
    if (rnd.nextDouble() < 0.08) {
      q = " " + q;
    }
    return q;
  }
}
