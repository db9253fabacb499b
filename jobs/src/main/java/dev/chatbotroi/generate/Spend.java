package dev.chatbotroi.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes `marketing/spend.csv` (docs/ingest.md#marketing-spend): what each campaign of the marketing
 * touches cost, one row per day and campaign, with one row of each quarantine kind and one
 * corrected row; grain: one lake.
 */
final class Spend {
  private Spend() {}

  static final String HEADER = "date,channel,campaign,amount,currency";

  /** One line of the media plan: a touch channel, its campaign (empty: none) and its typical daily cost in cents. */
  record Campaign(String channel, String campaign, long dailyCents) {}

  /** The campaigns the touches carry (Mix.TOUCH_UTM, Mix.UTMS), plus boosted posts under no campaign. */
  static final List<Campaign> PLAN = List.of(
      new Campaign("paid_search", "brand_search", 18_000),
      new Campaign("paid_search", "spring_sale", 26_000),
      new Campaign("social", "retargeting_q1", 9_000),
      new Campaign("social", "webinar_promo", 6_500),
      new Campaign("social", "", 2_000),
      new Campaign("email", "newsletter-14", 2_500),
      new Campaign("form", "contact_us", 600));

  static final List<String> BAD = List.of("missing_date", "missing_channel", "bad_date", "amount_unparseable",
      "amount_negative", "currency_eur");

  /**
   * Writes the file for the lake's days. Its own random stream, drawn from the seed, so the other
   * files of a seed stay byte for byte what they were before spend existed.
   */
  static void write(Path outDir, LocalDate start, int days, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5BE4D5BE4DL);
    Path dir = outDir.resolve("marketing");
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve("spend.csv"), StandardCharsets.UTF_8)) {
      w.write(HEADER + "\n");
      String corrected = null;
      for (int d = 0; d < days; d++) {
        LocalDate day = start.plusDays(d);
        boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
        for (Campaign c : PLAN) {
          // search and social bid less at weekends; every day varies by up to ±30%
          double shape = weekend && !c.channel().equals("email") ? 0.7 : 1.0;
          long cents = Math.round(c.dailyCents() * shape * (0.7 + 0.6 * rnd.nextDouble()));
          String channel = rnd.nextDouble() < 0.03 ? Names.capitalise(c.channel()) + " " : c.channel();
          String currency = rnd.nextDouble() < 0.5 ? "" : rnd.nextDouble() < 0.9 ? "USD" : "usd";
          Crm.writeRow(w, day.toString(), channel, c.campaign(), money(cents), currency);
          if (d == 0 && c.channel().equals("paid_search") && corrected == null) {
            // the agency's later invoice corrects this day: the last row of the key wins
            corrected = day + "," + c.channel() + "," + c.campaign() + "," + money(cents + 1_234) + ",USD\n";
          }
        }
        if (d < BAD.size()) {
          bad(w, BAD.get(d), day);
        }
      }
      for (int i = days; i < BAD.size(); i++) {
        bad(w, BAD.get(i), start.plusDays(days - 1));
      }
      w.write(corrected);
    }
  }

  private static void bad(Writer w, String variant, LocalDate day) throws IOException {
    String date = switch (variant) {
      case "missing_date" -> "";
      case "bad_date" -> day.format(DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT));
      default -> day.toString();
    };
    String channel = variant.equals("missing_channel") ? "" : "social";
    String amount = switch (variant) {
      case "amount_unparseable" -> "1.2k";
      case "amount_negative" -> "-45.00";
      default -> "45.00";
    };
    Crm.writeRow(w, date, channel, "retargeting_q1", amount, variant.equals("currency_eur") ? "EUR" : "USD");
  }

  private static String money(long cents) {
    return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
  }
}
