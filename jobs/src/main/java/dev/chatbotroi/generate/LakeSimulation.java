package dev.chatbotroi.generate;

import static dev.chatbotroi.generate.World.DAY;
import static dev.chatbotroi.generate.World.HOUR;
import static dev.chatbotroi.generate.World.SEC;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs the simulation: the CRM's history before the lake, then each day's background traffic and its
 * conversations in time order, with planned returns; grain: one day.
 */
final class LakeSimulation {
  private final World w;
  private final Background around;
  private final Holdout holdout;
  private final SplittableRandom rnd;
  private final long startMs;
  private final int days;
  private final int perDay;
  /** Visitors who come back on a later day, by the day they come back. */
  private final TreeMap<Integer, List<Visitor>> returns = new TreeMap<>();
  private long conversations;

  LakeSimulation(SplittableRandom rnd, EventSink sink, Crm crm, Ids ids, long startMs, int days, int perDay) {
    this.w = new World(rnd, sink, crm, ids);
    this.around = new Background(w, perDay);
    this.holdout = new Holdout(w, perDay, days);
    this.rnd = rnd;
    this.startMs = startMs;
    this.days = days;
    this.perDay = perDay;
  }

  long conversations() {
    return conversations;
  }

  /**
   * The CRM already holds leads from the weeks before the lake starts; their deals close inside it
   * and some of them chat as known visitors.
   */
  void history() {
    long n = w.count(perDay * 0.8);
    long[] created = new long[(int) n];
    for (int i = 0; i < n; i++) {
      created[i] = startMs - HOUR - (long) (rnd.nextDouble() * 45 * DAY);
    }
    // Sorted so that lead ids follow creation time, as a CRM numbers them.
    Arrays.sort(created);
    for (long at : created) {
      Visitor v = rnd.nextDouble() < 0.6 ? w.newVisitor() : null;
      String source = rnd.nextDouble() < 0.7 ? "form" : Mix.OTHER_SOURCES.pick(rnd);
      Crm.Lead lead = w.crm.newLead(source, at, Names.email(rnd), v == null ? null : v.anon);
      if (v != null) {
        v.lead = lead;
      }
      w.nurtured.add(lead);
    }
  }

  void day(int d) throws IOException {
    long dayStart = startMs + d * DAY;
    around.nurture(dayStart);
    around.crmLeads(dayStart);
    // the holdout's visitors who chat take some of the day's conversations
    List<Holdout.Unit> enrolled = holdout.enrol(d, dayStart);
    int slots = perDay - Holdout.chats(enrolled);
    long[] starts = new long[slots];
    for (int i = 0; i < slots; i++) {
      starts[i] = dayStart + w.timeOfDay();
    }
    if (slots > 0 && rnd.nextBoolean()) {
      // A late chat that ends after midnight, so its events span two daily files.
      starts[0] = dayStart + DAY - (20 + rnd.nextInt(160)) * SEC;
    }
    Arrays.sort(starts);
    List<Visitor> due = returns.remove(d);
    int dueLeft = due == null ? 0 : due.size();
    int next = 0;
    for (int i = 0; i < slots; i++) {
      if (dueLeft > 0 && rnd.nextInt(slots - i) < dueLeft) {
        Visitor v = due.get(next++);
        dueLeft--;
        conversation(d, starts[i], v, v.lead == null);
      } else {
        conversation(d, starts[i], visitor(d), false);
      }
    }
    // a visitor the bot converts plays the script of a visitor who leaves contact details
    holdout.play(enrolled, (t, v, converts) -> conversation(d, t, v, converts));
    around.unrelatedTickets(dayStart);
  }

  private Visitor visitor(int d) {
    if (w.hasRecentVisitors() && rnd.nextDouble() < 0.22) {
      return w.recentVisitor();
    }
    Visitor v = w.newVisitor();
    if (rnd.nextDouble() < 0.06 && d + 1 < days) {
      v.returnPlanned = true;
      int back = d + 1 + rnd.nextInt(Math.min(6, days - d - 1));
      returns.computeIfAbsent(back, k -> new ArrayList<>()).add(v);
    }
    return v;
  }

  private void conversation(int d, long t, Visitor v, boolean stitchReturn) throws IOException {
    conversations++;
    new Conversation(w, around, startMs + d * DAY, t, v, stitchReturn).play();
  }
}
