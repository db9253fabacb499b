package dev.chatbotroi.generate;

import static dev.chatbotroi.generate.World.DAY;
import static dev.chatbotroi.generate.World.HOUR;
import static dev.chatbotroi.generate.World.MIN;
import static dev.chatbotroi.generate.World.SEC;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays one conversation's script, from the widget impression through the dialogue, lead capture
 * and outcome to the rating, purchase and tickets after it; grain: one conversation.
 */
final class Conversation {
  private final World w;
  private final SplittableRandom rnd;
  private final Background around;
  private final Visitor v;
  /** A visitor back as planned who now leaves contact details, so their earlier chat gets stitched. */
  private final boolean stitchReturn;
  private final long dayStart;
  /** When the chat is opened. */
  private final long t;
  private final Conv c;
  private final String flow;
  private final String intent;
  private final String page;
  private final Utm utm;
  /** The time of the latest event of the script. */
  private long now;
  private Crm.Lead lead;
  private boolean handoff;
  private boolean goal;
  private boolean resolved;

  /** Draws the conversation's channel, flow, intent, page and campaign, in that order. */
  Conversation(World w, Background around, long dayStart, long t, Visitor v, boolean stitchReturn) {
    this.w = w;
    this.rnd = w.rnd;
    this.around = around;
    this.v = v;
    this.stitchReturn = stitchReturn;
    this.dayStart = dayStart;
    this.t = t;
    this.c = new Conv(w.ids.conversation(), v.anon, v.lead == null ? null : v.lead.id, Mix.CHANNELS.pick(rnd));
    this.flow = stitchReturn ? (rnd.nextDouble() < 0.6 ? "lead_qualification" : "booking") : Mix.FLOWS.pick(rnd);
    this.intent = Mix.INTENTS.get(flow).pick(rnd);
    this.page = Mix.PAGES.get(flow).pick(rnd);
    this.utm = rnd.nextDouble() < 0.3 ? Mix.UTMS.get(rnd.nextInt(Mix.UTMS.size())) : null;
  }

  void play() throws IOException {
    arrive();
    String deferredFlow = open();
    greet();
    boolean engaged = stitchReturn || rnd.nextDouble() < Mix.ENGAGE.get(c.channel);
    if (!engaged) {
      if (rnd.nextDouble() < 0.75) {
        w.emitChat(ev("chat_closed", now + (15 + rnd.nextInt(225)) * SEC));
      }
      return;
    }
    Dialogue dialogue = new Dialogue(w, c, flow, intent, deferredFlow);
    now = dialogue.play(now);
    handoff = dialogue.handoff;
    boolean capture = captureLead();
    boolean meeting = bookMeeting();
    if (handoff) {
      handOff();
    } else {
      selfServe(dialogue.useful, capture, meeting);
    }
    rateAndClose();
    afterwards();
  }

  /** Before the chat opens: maybe the campaign's touch, other visitors' impressions, and the widget seen. */
  private void arrive() throws IOException {
    if (utm != null && utm.touchChannel() != null && rnd.nextDouble() < 0.5) {
      long at = Math.max(dayStart, t - (1 + rnd.nextInt(20)) * MIN);
      w.marketingTouch(v.anon, c.user, at, utm.touchChannel(), utm);
    }
    around.browsing(dayStart, t);
    if (rnd.nextDouble() < 0.92) {
      Ev imp = new Ev(w.ids.event(), "chat_impression", Math.max(dayStart, t - (5 + rnd.nextInt(175)) * SEC));
      imp.anon = c.anon;
      imp.user = c.user;
      imp.channel = w.sloppy(c.channel, 0.05);
      imp.page = page;
      Utm.tag(imp, utm);
      w.sink.emit(imp);
    }
  }

  /** Emits chat_opened; returns the flow when it was left out, for the visitor's next event to carry. */
  private String open() throws IOException {
    Ev open = ev("chat_opened", t);
    open.channel = w.sloppy(c.channel, 0.05);
    boolean flowOnOpen = rnd.nextDouble() < 0.95;
    open.flow = flowOnOpen ? w.sloppy(flow, 0.02) : null;
    open.page = rnd.nextDouble() < 0.97 ? w.sloppy(page, 0.02) : null;
    if (rnd.nextDouble() < 0.12) {
      // Started from a quick-reply button, which already names the intent.
      open.intent = w.sloppy(intent, 0.04);
    }
    Utm.tag(open, utm);
    w.emitChat(open);
    return flowOnOpen ? null : flow;
  }

  private void greet() throws IOException {
    now = t;
    if (rnd.nextDouble() < 0.6) {
      now += SEC + rnd.nextInt(1000);
      Ev greeting = ev("bot_message", now);
      greeting.props = rnd.nextBoolean() ? "{\"useful\":false}" : null;
      w.emitChat(greeting);
    }
  }

  /** The visitor may leave contact details: a new lead unless the CRM knows them already. */
  private boolean captureLead() throws IOException {
    lead = v.lead;
    boolean capture = stitchReturn
        || (!v.returnPlanned && !v.leavesNoDetails
            && rnd.nextDouble() < Mix.CAPTURE.get(flow) * (lead == null ? 1 : 0.2));
    if (capture) {
      now += (5 + rnd.nextInt(20)) * SEC;
      if (lead == null) {
        lead = w.crm.newLead("chatbot", now, Names.email(rnd), v.anon);
        v.lead = lead;
        w.nurtured.add(lead);
      }
      v.returnPlanned = false;
      Ev e = ev("lead_captured_chat", now);
      e.props = new JsonObj().str("lead_id", lead.id).str("email", Names.typed(lead.email, rnd)).close();
      w.emitChat(e);
      // From here on the platform knows who this is.
      c.user = lead.id;
    }
    return capture;
  }

  /** A known lead in a sales flow may book a meeting, unless a human is taking over. */
  private boolean bookMeeting() throws IOException {
    double meetingShare = flow.equals("booking") ? 0.65 : flow.equals("lead_qualification") ? 0.25 : 0;
    boolean meeting = lead != null && !handoff && rnd.nextDouble() < meetingShare;
    if (meeting) {
      now += (10 + rnd.nextInt(50)) * SEC;
      Ev e = ev("meeting_booked", now);
      e.props = new JsonObj().str("lead_id", lead.id).str("meeting_id", w.ids.meeting()).close();
      w.emitChat(e);
      w.crm.bookMeeting(lead, now);
    }
    return meeting;
  }

  /** A human agent takes over, usually replies, and sometimes opens a ticket. */
  private void handOff() throws IOException {
    now += (2 + rnd.nextInt(5)) * SEC;
    Ev e = ev("bot_handoff_human", now);
    String reason = intent.equals("complaint") ? "complaint" : Mix.HANDOFF_REASONS.pick(rnd);
    e.props = new JsonObj().str("reason", reason).close();
    w.emitChat(e);
    long handoffAt = now;
    if (rnd.nextDouble() < 0.88) {
      agentReplies();
    }
    if (rnd.nextDouble() < 0.4) {
      // The agent opens a ticket for the follow-up.
      w.crm.ticket(handoffAt + (1 + rnd.nextInt(20)) * MIN, v.anon, c.user, c.id, intent, "chat");
    }
  }

  private void agentReplies() throws IOException {
    int replies = 1 + rnd.nextInt(3);
    for (int i = 0; i < replies; i++) {
      now += (20 + rnd.nextInt(220)) * SEC;
      w.emitChat(ev("agent_message", now));
      if (i < replies - 1 || rnd.nextBoolean()) {
        now += (10 + rnd.nextInt(50)) * SEC;
        w.emitChat(ev("user_message", now));
      }
    }
  }

  /** The bot keeps the chat: the flow's goal may complete, and a helpful answer may resolve it. */
  private void selfServe(boolean useful, boolean capture, boolean meeting) throws IOException {
    boolean selfService = flow.equals("support") || flow.equals("order_tracking");
    goal = switch (flow) {
      case "booking" -> meeting || rnd.nextDouble() < 0.2;
      case "lead_qualification" -> capture || rnd.nextDouble() < 0.2;
      default -> rnd.nextDouble() < (useful ? 0.58 : 0.2);
    };
    resolved = useful && rnd.nextDouble() < (selfService ? 0.66 : 0.15);
    if (goal) {
      now += (1 + rnd.nextInt(3)) * SEC;
      Ev e = ev("bot_goal_completed", now);
      e.props = new JsonObj().str("goal", Mix.GOALS.get(flow)).close();
      w.emitChat(e);
    }
    if (resolved) {
      now += (1 + rnd.nextInt(5)) * SEC;
      w.emitChat(ev(rnd.nextDouble() < 0.7 ? "bot_resolved" : "ticket_deflected", now));
    }
  }

  private void rateAndClose() throws IOException {
    if (rnd.nextDouble() < 0.4) {
      if (rnd.nextDouble() < 0.12) {
        // A first answer the visitor then corrects: only the latest counts.
        now += (3 + rnd.nextInt(10)) * SEC;
        csat(Mix.CSAT_MEH);
      }
      now += (3 + rnd.nextInt(15)) * SEC;
      csat(handoff ? Mix.CSAT_HANDOFF : goal || resolved ? Mix.CSAT_GOOD : Mix.CSAT_MEH);
    }
    if (rnd.nextDouble() < 0.9) {
      now += (2 + rnd.nextInt(28)) * SEC;
      w.emitChat(ev("chat_closed", now));
    }
  }

  /** A 1..5 score drawn by {@code shares}. */
  private void csat(List<Double> shares) throws IOException {
    double r = rnd.nextDouble();
    int score = 1;
    while (score < 5 && r >= shares.get(score - 1)) {
      r -= shares.get(score - 1);
      score++;
    }
    Ev e = ev("csat_response", now);
    e.props = new JsonObj().raw("score", Integer.toString(score)).close();
    w.emitChat(e);
  }

  /** After the chat: maybe a purchase; a ticket when the answer did not hold, or now and then when nothing helped. */
  private void afterwards() throws IOException {
    long end = now;
    if (rnd.nextDouble() < Mix.PURCHASE.get(flow)) {
      new Purchases(w).after(end, c);
    }
    if (resolved && rnd.nextDouble() < 0.1) {
      // The answer did not hold: the visitor writes to support within three days.
      w.crm.ticket(end + HOUR + (long) (rnd.nextDouble() * 69 * HOUR), rnd.nextDouble() < 0.8 ? v.anon : null,
          c.user, rnd.nextDouble() < 0.3 ? c.id : null, intent, Mix.TICKET_CHANNELS.pick(rnd));
    } else if (!handoff && !resolved && rnd.nextDouble() < 0.05) {
      w.crm.ticket(end + HOUR + (long) (rnd.nextDouble() * 5 * DAY), v.anon, c.user, null, intent,
          Mix.TICKET_CHANNELS.pick(rnd));
    }
  }

  private Ev ev(String name, long ts) {
    return c.event(w.ids, name, ts);
  }
}
