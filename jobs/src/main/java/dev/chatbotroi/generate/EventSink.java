package dev.chatbotroi.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/** Writes event lines into one NDJSON file per day (every fifth gzipped) by event date, adding re-deliveries. */
final class EventSink implements AutoCloseable {
  static final long DAY_MS = 86_400_000L;
  private static final double DUPLICATE_RATE = 0.01;

  private final Path eventsDir;
  private final LocalDate start;
  private final long startMs;
  private final int days;
  private final SplittableRandom rnd;
  private final Stamps stamps;
  /** Lines dated after the day being written: a conversation crossing midnight, a later purchase. */
  private final TreeMap<Integer, List<String>> pending = new TreeMap<>();
  /** Re-deliveries for the end of the current file. */
  private final List<String> tail = new ArrayList<>();
  private Writer out;
  private int day = -1;
  private long lines;
  private long badLines;

  EventSink(Path eventsDir, LocalDate start, int days, SplittableRandom rnd, Stamps stamps) {
    this.eventsDir = eventsDir;
    this.start = start;
    this.startMs = start.toEpochDay() * DAY_MS;
    this.days = days;
    this.rnd = rnd;
    this.stamps = stamps;
  }

  static String fileName(int dayIndex) {
    return dayIndex % 5 == 4 ? "part-00000.ndjson.gz" : "part-00000.ndjson";
  }

  void openDay(int d) throws IOException {
    day = d;
    Path dir = eventsDir.resolve("dt=" + start.plusDays(d));
    Files.createDirectories(dir);
    String name = fileName(d);
    OutputStream os = Files.newOutputStream(dir.resolve(name));
    if (name.endsWith(".gz")) {
      os = new GZIPOutputStream(os, 1 << 16);
    }
    out = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
    List<String> early = pending.remove(d);
    if (early != null) {
      for (String line : early) {
        write(line);
      }
    }
  }

  void closeDay() throws IOException {
    if (day == 0) {
      // One blank line in the lake: readers must skip it without counting it.
      out.write('\n');
    }
    for (String line : tail) {
      write(line);
    }
    tail.clear();
    out.close();
    out = null;
  }

  /** A valid event; sometimes delivered twice, in the same file or the next day's. */
  void emit(Ev e) throws IOException {
    String line = e.toLine(stamps.event(e.ts));
    int d = dayOf(e.ts);
    if (d >= days) {
      // Happens after the lake's last day: not delivered yet.
      return;
    }
    route(d, line, false);
    if (rnd.nextDouble() < DUPLICATE_RATE) {
      int target = Math.max(d, day);
      if (rnd.nextBoolean() && target + 1 < days) {
        target++;
      }
      route(target, line, true);
    }
  }

  /** A line that ingest must quarantine, placed like a valid event of time {@code ts}. */
  void emitBad(long ts, String line) throws IOException {
    int d = dayOf(ts);
    if (d >= days) {
      return;
    }
    route(d, line, false);
    badLines++;
  }

  long lines() {
    return lines;
  }

  long badLines() {
    return badLines;
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  private int dayOf(long ts) {
    return (int) Math.floorDiv(ts - startMs, DAY_MS);
  }

  private void route(int d, String line, boolean atEnd) throws IOException {
    if (d <= day) {
      // Today's, or a late arrival for an already closed day: it lands in today's file.
      if (atEnd) {
        tail.add(line);
      } else {
        write(line);
      }
    } else {
      pending.computeIfAbsent(d, k -> new ArrayList<>()).add(line);
    }
  }

  private void write(String line) throws IOException {
    out.write(line);
    out.write('\n');
    lines++;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
