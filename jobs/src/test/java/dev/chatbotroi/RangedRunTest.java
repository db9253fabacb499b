package dev.chatbotroi;

import static dev.chatbotroi.testing.Events.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ranged re-run replaces exactly the periods it touches, and agrees with a full run. */
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

  private void run(Tables tables, Path lake, Periods.Range range) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    dev.chatbotroi.common.CommandRun.logged(tables, "run", range == null ? null : range.from(),
        range == null ? null : range.to(), (t, runId) -> Pipeline.run(t, Pipeline.RUN, lake.toString(),
            TestSpark.settings(), TestSpark.HASH_KEY, runId, range, quiet, quiet));
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
    run(tables, lake, null);
    Set<String> before = metricRows(tables);

    // late data for Thursday 2 April: one more (resolved) conversation
    LocalDate changed = LocalDate.parse("2026-04-02");
    Files2.write(lake.resolve("events/dt=" + changed + "/late.ndjson"), day(changed, "-late", true));
    run(tables, lake, new Periods.Range(changed, changed));
    Set<String> after = metricRows(tables);

    Set<String> touched = new HashSet<>();
    touched.addAll(periodsOnlyIn(before, after));
    touched.addAll(periodsOnlyIn(after, before));
    // day 2026-04-02, its ISO week (Monday 30 March) and April; nothing else
    assertEquals(Set.of("day 2026-04-02", "week 2026-03-30", "month 2026-04-01"), touched);
    assertFalse(after.isEmpty());
    assertTrue(after.stream().anyMatch(r -> r.startsWith("[month,2026-03-01,")), "March left as it was");

    run(tables, lake, null);
    assertEquals(after, metricRows(tables), "a full run gives the same rows as the ranged one");
  }
}
