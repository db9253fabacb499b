package dev.chatbotroi.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;
import java.util.SplittableRandom;

/** Writes a deterministic synthetic chatbot lake (events, CRM, help desk, marketing spend); streams day by day. */
public final class LakeGenerator {
  private LakeGenerator() {}

  /**
   * The lead-rate lift of the holdout experiment `bot_holdout` in every lake, in expectation: the bot
   * arm's lead rate minus the holdout's (docs/experiments.md).
   */
  public static final double HOLDOUT_LEAD_RATE_LIFT = Holdout.LEAD_RATE_LIFT;

  /** What to generate; the same options always give byte-identical files. */
  public record Options(LocalDate start, int days, int conversationsPerDay, long seed) {
    public static Options defaults() {
      return new Options(LocalDate.parse("2026-03-02"), 42, 200, 42L);
    }
  }

  /**
   * What was written. {@code eventLines}: non-blank lines in the event files, duplicates and bad
   * lines included; {@code conversations}: conversations started; {@code leads}, {@code deals},
   * {@code tickets}: valid distinct CRM / help-desk rows; {@code badLines}: event lines that ingest
   * must quarantine (CRM rows to quarantine are not counted).
   */
  public record Summary(long eventLines, long conversations, long leads, long deals, long tickets, long badLines) {}

  public static Summary generate(Path outDir, Options options) throws IOException {
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(options.start(), "options.start");
    if (options.days() < 1) {
      throw new IllegalArgumentException("--days must be at least 1, got " + options.days());
    }
    if (options.conversationsPerDay() < 1) {
      throw new IllegalArgumentException(
          "--conversations-per-day must be at least 1, got " + options.conversationsPerDay());
    }
    int days = options.days();
    long startMs = options.start().toEpochDay() * EventSink.DAY_MS;
    long endMs = startMs + days * EventSink.DAY_MS;
    Path eventsDir = outDir.resolve("events");
    Files.createDirectories(eventsDir);
    // One random stream for everything, consumed in a fixed order: the lake is a function of the options.
    SplittableRandom rnd = new SplittableRandom(options.seed());
    Stamps stamps = new Stamps(rnd);
    Ids ids = new Ids(days, options.conversationsPerDay());
    try (Crm crm = new Crm(outDir, rnd, stamps, ids, endMs);
        EventSink sink = new EventSink(eventsDir, options.start(), days, rnd, stamps)) {
      LakeSimulation simulation =
          new LakeSimulation(rnd, sink, crm, ids, startMs, days, options.conversationsPerDay());
      simulation.history();
      for (int d = 0; d < days; d++) {
        sink.openDay(d);
        simulation.day(d);
        sink.closeDay();
      }
      if (sink.hasPending()) {
        throw new IllegalStateException("event lines left unwritten inside the lake's date range");
      }
      crm.finish();
      Spend.write(outDir, options.start(), days, options.seed());
      // Markers that writers such as Spark and Hadoop leave behind; ingest must ignore them.
      Files.write(eventsDir.resolve("_SUCCESS"), new byte[0]);
      Files.write(eventsDir.resolve("dt=" + options.start()).resolve(".part-00000.ndjson.crc"),
          "crc\u0000\u0000\u0000\u0002\u0000junk".getBytes(StandardCharsets.ISO_8859_1));
      return new Summary(sink.lines(), simulation.conversations(), crm.leadRows(), crm.dealRows(), crm.tickets(),
          sink.badLines());
    }
  }
}
