package dev.chatbotroi;

import static dev.chatbotroi.testing.Events.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ranged re-run replaces exactly the periods it touches, and agrees with a full run. */
@org.junit.jupiter.api.Tag("pipeline")
class RangedRunTest {

  @TempDir Path dir;

  static List<String> day(LocalDate d, String suffix, boolean resolved) {
    String c = "c-" + d + suffix;
    String a = "a-" + d + suffix;
    List<String> l = new ArrayList<>(List.of(
        ev(c + "-1", "chat_impression", d + "T09:00:00Z", null, a, "\"page_type\":\"home\""),
        ev(c + "-2", "chat_opened", d + "T10:00:00Z", c, a, "\"flow\":\"support\""),
        ev(c + "-3", "user_message", d + "T10:00:05Z", c, a, "\"intent\":\"order_status\""),
        ev(c + "-4", "bot_message", d + "T10:00:07Z", c, a, "\"properties\":{\"useful\":true}")));
    if (resolved) {
      l.add(ev(c + "-5", "bot_resolved", d + "T10:00:30Z", c, a));
    }
    return l;
  }

  /** "grain start" of every row of {@code a} that {@code b} lacks. */
  static Set<String> periodsOnlyIn(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>();
    for (String row : a) {
      if (!b.contains(row)) {
        String[] f = row.substring(1).split(",");
        out.add(f[0] + " " + f[1]);
      }
    }
    return out;
  }

  private Set<String> metricRows(Tables tables) {
    return new HashSet<>(DataFrameAssert.sortedText(tables.read(MetricsTable.TABLE)));
  }

  private void run(Tables tables, Path lake, Periods.Range range, List<dev.chatbotroi.common.Stage> stages) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    dev.chatbotroi.common.CommandRun.logged(tables, "run", range == null ? null : range.from(),
        range == null ? null : range.to(), (t, runId) -> Pipeline.run(
            new StageContext(t, TestSpark.settings(), runId, lake.toString(), quiet, quiet), stages, range));
  }

  @Test
  void aVisitorWhoComesBackWeeksLaterStaysOneConversationAndTheDailyRunEqualsAFullRun() {
    Path lake = dir.resolve("lake");
    LocalDate first = LocalDate.parse("2026-02-23");
    for (int i = 0; i < 22; i++) { // 23 February .. 16 March
      LocalDate d = first.plusDays(i);
      Files2.write(lake.resolve("events/dt=" + d + "/part-0.ndjson"), day(d, "", i % 3 == 0));
    }
    // opened on 25 February...
    Files2.write(lake.resolve("events/dt=2026-02-25/gap.ndjson"),
        ev("g-1", "chat_opened", "2026-02-25T09:00:00Z", "c-gap", "a-gap", "\"flow\":\"support\""),
        ev("g-2", "user_message", "2026-02-25T09:00:10Z", "c-gap", "a-gap", "\"intent\":\"returns\""));
    // Through the metrics stages: attribution and experiments are rebuilt whole from the tables
    // compared here whatever the range, so they would agree whenever these do.
    Tables daily = new Tables(TestSpark.session(), dir.resolve("daily").toString());
    run(daily, lake, null, Runs.THROUGH_METRICS);

    // ...and the visitor comes back to it on 17 March, the day the daily run covers
    LocalDate today = LocalDate.parse("2026-03-17");
    Files2.write(lake.resolve("events/dt=" + today + "/part-0.ndjson"), day(today, "", true));
    Files2.write(lake.resolve("events/dt=" + today + "/gap.ndjson"),
        ev("g-3", "user_message", today + "T08:00:00Z", "c-gap", "a-gap"),
        ev("g-4", "bot_resolved", today + "T08:00:20Z", "c-gap", "a-gap"));
    run(daily, lake, new Periods.Range(today, today), Runs.THROUGH_METRICS);

    List<Row> gap = daily.read(ConversationsTable.TABLE).where("conversation_id = 'c-gap'").collectAsList();
    assertEquals(1, gap.size(), "one row per conversation, not one per slice");
    assertEquals(java.sql.Date.valueOf("2026-02-25"), gap.get(0).getAs("period_date"));
    assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-03-17T08:00:20Z")), gap.get(0).getAs("end_ts"));
    assertTrue(gap.get(0).<Boolean>getAs("resolved"), "the tail of the conversation is in it");

    Tables full = new Tables(TestSpark.session(), dir.resolve("full").toString());
    run(full, lake, null, Runs.THROUGH_METRICS);
    assertEquals(Runs.exported(full), Runs.exported(daily), "the daily run leaves the warehouse a full run would");
  }

  @Test
  void onlyTheDayItsWeekAndItsMonthChangeAndAFullRunAgrees() {
    Path lake = dir.resolve("lake");
    LocalDate first = LocalDate.parse("2026-03-25");
    for (int i = 0; i < 16; i++) { // 25 March .. 9 April: two months, three ISO weeks
      LocalDate d = first.plusDays(i);
      Files2.write(lake.resolve("events/dt=" + d + "/part-0.ndjson"), day(d, "", i % 2 == 0));
    }
    Tables tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    run(tables, lake, null, Runs.THROUGH_METRICS);
    Set<String> before = metricRows(tables);

    // late data for Thursday 2 April: one more (resolved) conversation
    LocalDate changed = LocalDate.parse("2026-04-02");
    Files2.write(lake.resolve("events/dt=" + changed + "/late.ndjson"), day(changed, "-late", true));
    run(tables, lake, new Periods.Range(changed, changed), Runs.THROUGH_METRICS);
    Set<String> after = metricRows(tables);

    Set<String> touched = new HashSet<>();
    touched.addAll(periodsOnlyIn(before, after));
    touched.addAll(periodsOnlyIn(after, before));
    // day 2026-04-02, its ISO week (Monday 30 March) and April; nothing else
    assertEquals(Set.of("day 2026-04-02", "week 2026-03-30", "month 2026-04-01"), touched);
    assertFalse(after.isEmpty());
    assertTrue(after.stream().anyMatch(r -> r.startsWith("[month,2026-03-01,")), "March left as it was");

    run(tables, lake, null, Runs.THROUGH_METRICS);
    assertEquals(after, metricRows(tables), "a full run gives the same rows as the ranged one");
  }
}
