package dev.chatbotroi.generate;

import static dev.chatbotroi.generate.World.DAY;
import static dev.chatbotroi.generate.World.HOUR;
import static dev.chatbotroi.generate.World.MIN;
import static dev.chatbotroi.generate.World.SEC;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Simulates each day of visitors, conversations, leads, purchases, touches and tickets, emitting every record. */
final class LakeSimulation {
  /** What every event of one conversation repeats. */
  private static final class Conv {
    final String id;
    final String anon;
    String user;
    final String channel;

    Conv(String id, String anon, String user, String channel) {
      this.id = id;
      this.anon = anon;
      this.user = user;
      this.channel = channel;
    }
  }

  private final World w;
  private final Background around;
  private final SplittableRandom rnd;
  private final EventSink sink;
  private final Crm crm;
  private final Ids ids;
  private final long startMs;
  private final int days;
  private final int perDay;
  /** Visitors who come back on a later day, by the day they come back. */
  private final TreeMap<Integer, List<Visitor>> returns = new TreeMap<>();
  private long conversations;

  LakeSimulation(SplittableRandom rnd, EventSink sink, Crm crm, Ids ids, long startMs, int days, int perDay) {
    this.w = new World(rnd, sink, crm, ids);
    this.around = new Background(w, perDay);
    this.rnd = rnd;
    this.sink = sink;
    this.crm = crm;
    this.ids = ids;
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
      Crm.Lead lead = crm.newLead(source, at, Names.email(rnd), v == null ? null : v.anon);
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
    long[] starts = new long[perDay];
    for (int i = 0; i < perDay; i++) {
      starts[i] = dayStart + w.timeOfDay();
    }
    if (rnd.nextBoolean()) {
      // A late chat that ends after midnight, so its events span two daily files.
      starts[0] = dayStart + DAY - (20 + rnd.nextInt(160)) * SEC;
    }
    Arrays.sort(starts);
    List<Visitor> due = returns.remove(d);
    int dueLeft = due == null ? 0 : due.size();
    int next = 0;
    for (int i = 0; i < perDay; i++) {
      if (dueLeft > 0 && rnd.nextInt(perDay - i) < dueLeft) {
        Visitor v = due.get(next++);
        dueLeft--;
        conversation(d, starts[i], v, v.lead == null);
      } else {
        conversation(d, starts[i], visitor(d), false);
      }
    }
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

  // ---------------------------------------------------------------- one conversation

  private void conversation(int d, long t, Visitor v, boolean stitchReturn) throws IOException {
    conversations++;
    long dayStart = startMs + d * DAY;
    Conv c = new Conv(ids.conversation(), v.anon, v.lead == null ? null : v.lead.id, Mix.CHANNELS.pick(rnd));
    String flow =
        stitchReturn ? (rnd.nextDouble() < 0.6 ? "lead_qualification" : "booking") : Mix.FLOWS.pick(rnd);
    String intent = Mix.INTENTS.get(flow).pick(rnd);
    String page = Mix.PAGES.get(flow).pick(rnd);
    Utm utm = rnd.nextDouble() < 0.3 ? Mix.UTMS.get(rnd.nextInt(Mix.UTMS.size())) : null;

    if (utm != null && utm.touchChannel() != null && rnd.nextDouble() < 0.5) {
      w.marketingTouch(v.anon, c.user, Math.max(dayStart, t - (1 + rnd.nextInt(20)) * MIN), utm.touchChannel(), utm);
    }
    around.browsing(dayStart, t);
    if (rnd.nextDouble() < 0.92) {
      Ev imp = new Ev(ids.event(), "chat_impression", Math.max(dayStart, t - (5 + rnd.nextInt(175)) * SEC));
      imp.anon = c.anon;
      imp.user = c.user;
      imp.channel = sloppy(c.channel, 0.05);
      imp.page = page;
      Utm.tag(imp, utm);
      sink.emit(imp);
    }

    Ev open = ev("chat_opened", t, c);
    open.channel = sloppy(c.channel, 0.05);
    boolean flowOnOpen = rnd.nextDouble() < 0.95;
    open.flow = flowOnOpen ? sloppy(flow, 0.02) : null;
    open.page = rnd.nextDouble() < 0.97 ? sloppy(page, 0.02) : null;
    if (rnd.nextDouble() < 0.12) {
      // Started from a quick-reply button, which already names the intent.
      open.intent = sloppy(intent, 0.04);
    }
    Utm.tag(open, utm);
    emit(open);
    String deferredFlow = flowOnOpen ? null : flow;

    long now = t;
    if (rnd.nextDouble() < 0.6) {
      now += SEC + rnd.nextInt(1000);
      Ev greeting = ev("bot_message", now, c);
      greeting.props = rnd.nextBoolean() ? "{\"useful\":false}" : null;
      emit(greeting);
    }
    boolean engaged = stitchReturn || rnd.nextDouble() < Mix.ENGAGE.get(c.channel);
    if (!engaged) {
      if (rnd.nextDouble() < 0.75) {
        emit(ev("chat_closed", now + (15 + rnd.nextInt(225)) * SEC, c));
      }
      return;
    }

    long t0 = now + (3 + rnd.nextInt(22)) * SEC + rnd.nextInt(1000);
    long userAt = t0;
    if (rnd.nextDouble() < 0.85) {
      Ev e = ev("chat_engaged", t0, c);
      e.flow = deferredFlow;
      deferredFlow = null;
      emit(e);
      userAt = t0 + rnd.nextInt(3) * SEC;
    }
    boolean complaint = intent.equals("complaint");
    boolean gap = rnd.nextDouble() < (flow.equals("support") ? 0.12 : 0.08);
    Names.Question question = gap ? Names.QUESTIONS.get(rnd.nextInt(Names.QUESTIONS.size())) : null;
    int turns = turns(flow);
    double handoffShare = 0.16 + (gap ? 0.2 : 0) + (complaint ? 0.35 : 0) + (intent.equals("billing") ? 0.1 : 0)
        + (flow.equals("lead_qualification") ? 0.06 : 0);
    boolean handoff = rnd.nextDouble() < handoffShare;
    int handoffTurn = handoff ? rnd.nextInt(turns) : -1;
    double r = rnd.nextDouble();
    int intentTurn = r < 0.85 ? 0 : r < 0.95 ? 1 : -1;

    boolean useful = false;
    boolean gapSent = false;
    long reply = userAt;
    for (int k = 0; k < turns; k++) {
      Ev user = ev("user_message", userAt, c);
      if (k == intentTurn) {
        user.intent = sloppy(intent, 0.04);
      }
      user.flow = deferredFlow;
      deferredFlow = null;
      emit(user);
      reply = userAt + (k == 0 ? 1 + rnd.nextInt(4) : 1 + rnd.nextInt(8)) * SEC + rnd.nextInt(1000);
      if (rnd.nextDouble() < 0.10 + (gap ? 0.12 : 0) + (complaint ? 0.06 : 0)) {
        Ev fallback = ev("bot_fallback", reply, c);
        fallback.props = new JsonObj().str("reason", Mix.FALLBACK_REASONS.pick(rnd)).close();
        emit(fallback);
        if (gap && !gapSent && rnd.nextDouble() < 0.7) {
          knowledgeGap(reply, c, question);
          gapSent = true;
        }
      } else {
        boolean answered = rnd.nextDouble() < (k == 0 ? 0.72 : 0.55);
        Ev message = ev("bot_message", reply, c);
        // useful defaults to false, so some platforms leave it out.
        message.props = answered ? "{\"useful\":true}" : rnd.nextDouble() < 0.3 ? null : "{\"useful\":false}";
        emit(message);
        useful |= answered;
      }
      if (k == handoffTurn) {
        break;
      }
      userAt = reply + (4 + rnd.nextInt(36)) * SEC + rnd.nextInt(1000);
    }
    now = reply;
    if (gap && !gapSent) {
      now += SEC;
      knowledgeGap(now, c, question);
    }

    Crm.Lead lead = v.lead;
    boolean capture = stitchReturn
        || (!v.returnPlanned && rnd.nextDouble() < Mix.CAPTURE.get(flow) * (lead == null ? 1 : 0.2));
    if (capture) {
      now += (5 + rnd.nextInt(20)) * SEC;
      if (lead == null) {
        lead = crm.newLead("chatbot", now, Names.email(rnd), v.anon);
        v.lead = lead;
        w.nurtured.add(lead);
      }
      v.returnPlanned = false;
      Ev e = ev("lead_captured_chat", now, c);
      e.props = new JsonObj().str("lead_id", lead.id).str("email", Names.typed(lead.email, rnd)).close();
      emit(e);
      // From here on the platform knows who this is.
      c.user = lead.id;
    }
    double meetingShare = flow.equals("booking") ? 0.65 : flow.equals("lead_qualification") ? 0.25 : 0;
    boolean meeting = lead != null && !handoff && rnd.nextDouble() < meetingShare;
    if (meeting) {
      now += (10 + rnd.nextInt(50)) * SEC;
      Ev e = ev("meeting_booked", now, c);
      e.props = new JsonObj().str("lead_id", lead.id).str("meeting_id", ids.meeting()).close();
      emit(e);
      crm.bookMeeting(lead, now);
    }

    boolean goal = false;
    boolean resolved = false;
    if (handoff) {
      now += (2 + rnd.nextInt(5)) * SEC;
      Ev e = ev("bot_handoff_human", now, c);
      e.props = new JsonObj().str("reason", complaint ? "complaint" : Mix.HANDOFF_REASONS.pick(rnd)).close();
      emit(e);
      long handoffAt = now;
      if (rnd.nextDouble() < 0.88) {
        int replies = 1 + rnd.nextInt(3);
        for (int i = 0; i < replies; i++) {
          now += (20 + rnd.nextInt(220)) * SEC;
          emit(ev("agent_message", now, c));
          if (i < replies - 1 || rnd.nextBoolean()) {
            now += (10 + rnd.nextInt(50)) * SEC;
            emit(ev("user_message", now, c));
          }
        }
      }
      if (rnd.nextDouble() < 0.4) {
        // The agent opens a ticket for the follow-up.
        crm.ticket(handoffAt + (1 + rnd.nextInt(20)) * MIN, v.anon, c.user, c.id, intent, "chat");
      }
    } else {
      boolean selfService = flow.equals("support") || flow.equals("order_tracking");
      goal = switch (flow) {
        case "booking" -> meeting || rnd.nextDouble() < 0.2;
        case "lead_qualification" -> capture || rnd.nextDouble() < 0.2;
        default -> rnd.nextDouble() < (useful ? 0.58 : 0.2);
      };
      resolved = useful && rnd.nextDouble() < (selfService ? 0.66 : 0.15);
      if (goal) {
        now += (1 + rnd.nextInt(3)) * SEC;
        Ev e = ev("bot_goal_completed", now, c);
        e.props = new JsonObj().str("goal", Mix.GOALS.get(flow)).close();
        emit(e);
      }
      if (resolved) {
        now += (1 + rnd.nextInt(5)) * SEC;
        emit(ev(rnd.nextDouble() < 0.7 ? "bot_resolved" : "ticket_deflected", now, c));
      }
    }

    if (rnd.nextDouble() < 0.4) {
      if (rnd.nextDouble() < 0.12) {
        // A first answer the visitor then corrects: only the latest counts.
        now += (3 + rnd.nextInt(10)) * SEC;
        csat(now, c, Mix.CSAT_MEH);
      }
      now += (3 + rnd.nextInt(15)) * SEC;
      csat(now, c, handoff ? Mix.CSAT_HANDOFF : goal || resolved ? Mix.CSAT_GOOD : Mix.CSAT_MEH);
    }
    if (rnd.nextDouble() < 0.9) {
      now += (2 + rnd.nextInt(28)) * SEC;
      emit(ev("chat_closed", now, c));
    }
    long end = now;

    if (rnd.nextDouble() < Mix.PURCHASE.get(flow)) {
      purchase(end, c);
    }
    if (resolved && rnd.nextDouble() < 0.1) {
      // The answer did not hold: the visitor writes to support within three days.
      crm.ticket(end + HOUR + (long) (rnd.nextDouble() * 69 * HOUR), rnd.nextDouble() < 0.8 ? v.anon : null,
          c.user, rnd.nextDouble() < 0.3 ? c.id : null, intent, Mix.TICKET_CHANNELS.pick(rnd));
    } else if (!handoff && !resolved && rnd.nextDouble() < 0.05) {
      crm.ticket(end + HOUR + (long) (rnd.nextDouble() * 5 * DAY), v.anon, c.user, null, intent,
          Mix.TICKET_CHANNELS.pick(rnd));
    }
  }

  /** Visitor turns: qualification asks the most questions, a tracking lookup the fewest. */
  private int turns(String flow) {
    return switch (flow) {
      case "lead_qualification" -> 3 + rnd.nextInt(7);
      case "booking" -> 2 + rnd.nextInt(5);
      case "order_tracking" -> 1 + rnd.nextInt(4);
      default -> 1 + rnd.nextInt(5);
    };
  }

  private void knowledgeGap(long at, Conv c, Names.Question q) throws IOException {
    Ev e = ev("bot_knowledge_gap", at, c);
    e.props = new JsonObj().str("question", Names.question(q.text(), rnd)).str("topic", q.topic()).close();
    emit(e);
  }

  private void csat(long at, Conv c, List<Double> shares) throws IOException {
    double r = rnd.nextDouble();
    int score = 1;
    while (score < 5 && r >= shares.get(score - 1)) {
      r -= shares.get(score - 1);
      score++;
    }
    Ev e = ev("csat_response", at, c);
    e.props = new JsonObj().raw("score", Integer.toString(score)).close();
    emit(e);
  }

  private void purchase(long end, Conv c) throws IOException {
    double r = rnd.nextDouble();
    long delay;
    if (r < 0.7) {
      delay = 30 * MIN + (long) (rnd.nextDouble() * (3 * DAY - 30 * MIN));
    } else if (r < 0.88) {
      delay = 3 * DAY + (long) (rnd.nextDouble() * 4 * DAY);
    } else {
      // Outside the 7-day conversion window.
      delay = 7 * DAY + 2 * HOUR + (long) (rnd.nextDouble() * 5 * DAY);
    }
    long at = end + delay;
    String order = ids.order();
    String revenue = revenue();
    boolean currency = rnd.nextDouble() < 0.95;
    Ev e = purchaseEvent(at, c, order, revenue, currency);
    sink.emit(e);
    if (rnd.nextDouble() < 0.04) {
      // The shop re-sends the order under a new event id: same order_id, counted once.
      sink.emit(purchaseEvent(at + (1 + rnd.nextInt(60)) * MIN, c, order, revenue, currency));
    }
  }

  private Ev purchaseEvent(long at, Conv c, String order, String revenue, boolean currency) {
    Ev e = ev("purchase_after_chat", at, c);
    JsonObj p = new JsonObj().str("order_id", order).raw("revenue", revenue);
    e.props = (currency ? p.str("currency", "USD") : p).close();
    return e;
  }

  private String revenue() {
    double r = rnd.nextDouble();
    if (r < 0.04) {
      return "0";
    }
    long cents = 1_500 + (long) (rnd.nextDouble() * 38_500);
    if (r < 0.2) {
      return Long.toString(cents / 100);
    }
    return (cents / 100) + "." + Stamps.pad(cents % 100, 2);
  }

  private Ev ev(String name, long ts, Conv c) {
    Ev e = new Ev(ids.event(), name, ts);
    e.anon = c.anon;
    e.user = c.user;
    e.conv = c.id;
    e.channel = c.channel;
    return e;
  }

  private void emit(Ev e) throws IOException {
    w.emitChat(e);
  }

  private String sloppy(String value, double share) {
    return w.sloppy(value, share);
  }
}
