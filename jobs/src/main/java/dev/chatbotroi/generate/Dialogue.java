package dev.chatbotroi.generate;

import static dev.chatbotroi.generate.World.SEC;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The visitor's turns and the bot's replies in one engaged conversation, until the turns run out or
 * a human is to take over; grain: one conversation.
 */
final class Dialogue {
  private final World w;
  private final SplittableRandom rnd;
  private final Conv c;
  private final String flow;
  private final String intent;
  private final boolean complaint;
  /** The flow when chat_opened left it out: the visitor's next event names it instead. */
  private String deferredFlow;
  /** The visitor asks something the knowledge base has no answer for. */
  private boolean gap;
  private boolean gapSent;
  private Names.Question question;
  /** After the dialogue: a human takes over. */
  boolean handoff;
  /** After the dialogue: some bot answer helped. */
  boolean useful;

  Dialogue(World w, Conv c, String flow, String intent, String deferredFlow) {
    this.w = w;
    this.rnd = w.rnd;
    this.c = c;
    this.flow = flow;
    this.intent = intent;
    this.complaint = intent.equals("complaint");
    this.deferredFlow = deferredFlow;
  }

  /** Plays the dialogue from {@code now}, when the greeting (if any) was sent; returns the time of its last event. */
  long play(long now) throws IOException {
    long userAt = engage(now);
    gap = rnd.nextDouble() < (flow.equals("support") ? 0.12 : 0.08);
    question = gap ? Names.QUESTIONS.get(rnd.nextInt(Names.QUESTIONS.size())) : null;
    int turns = turns();
    handoff = rnd.nextDouble() < handoffShare();
    int handoffTurn = handoff ? rnd.nextInt(turns) : -1;
    double r = rnd.nextDouble();
    int intentTurn = r < 0.85 ? 0 : r < 0.95 ? 1 : -1;
    long reply = userAt;
    for (int k = 0; k < turns; k++) {
      reply = turn(k, userAt, k == intentTurn);
      if (k == handoffTurn) {
        break;
      }
      userAt = reply + (4 + rnd.nextInt(36)) * SEC + rnd.nextInt(1000);
    }
    if (gap && !gapSent) {
      reply += SEC;
      knowledgeGap(reply);
    }
    return reply;
  }

  /** The platform may mark the chat engaged; returns when the visitor's first message is sent. */
  private long engage(long now) throws IOException {
    long t0 = now + (3 + rnd.nextInt(22)) * SEC + rnd.nextInt(1000);
    long userAt = t0;
    if (rnd.nextDouble() < 0.85) {
      Ev e = c.event(w.ids, "chat_engaged", t0);
      e.flow = takeDeferredFlow();
      w.emitChat(e);
      userAt = t0 + rnd.nextInt(3) * SEC;
    }
    return userAt;
  }

  /** Visitor turns: qualification asks the most questions, a tracking lookup the fewest. */
  private int turns() {
    return switch (flow) {
      case "lead_qualification" -> 3 + rnd.nextInt(7);
      case "booking" -> 2 + rnd.nextInt(5);
      case "order_tracking" -> 1 + rnd.nextInt(4);
      default -> 1 + rnd.nextInt(5);
    };
  }

  private double handoffShare() {
    return 0.16 + (gap ? 0.2 : 0) + (complaint ? 0.35 : 0) + (intent.equals("billing") ? 0.1 : 0)
        + (flow.equals("lead_qualification") ? 0.06 : 0);
  }

  /** One visitor message and the bot's reply to it; returns when the reply is sent. */
  private long turn(int k, long userAt, boolean namesIntent) throws IOException {
    Ev said = c.event(w.ids, "user_message", userAt);
    if (namesIntent) {
      said.intent = w.sloppy(intent, 0.04);
    }
    said.flow = takeDeferredFlow();
    w.emitChat(said);
    long reply = userAt + (k == 0 ? 1 + rnd.nextInt(4) : 1 + rnd.nextInt(8)) * SEC + rnd.nextInt(1000);
    if (rnd.nextDouble() < 0.10 + (gap ? 0.12 : 0) + (complaint ? 0.06 : 0)) {
      fallback(reply);
    } else {
      answer(reply, k == 0);
    }
    return reply;
  }

  private void fallback(long at) throws IOException {
    Ev e = c.event(w.ids, "bot_fallback", at);
    e.props = new JsonObj().str("reason", Mix.FALLBACK_REASONS.pick(rnd)).close();
    w.emitChat(e);
    if (gap && !gapSent && rnd.nextDouble() < 0.7) {
      knowledgeGap(at);
      gapSent = true;
    }
  }

  private void answer(long at, boolean first) throws IOException {
    boolean answered = rnd.nextDouble() < (first ? 0.72 : 0.55);
    Ev e = c.event(w.ids, "bot_message", at);
    // useful defaults to false, so some platforms leave it out.
    e.props = answered ? "{\"useful\":true}" : rnd.nextDouble() < 0.3 ? null : "{\"useful\":false}";
    w.emitChat(e);
    useful |= answered;
  }

  private void knowledgeGap(long at) throws IOException {
    Ev e = c.event(w.ids, "bot_knowledge_gap", at);
    e.props = new JsonObj().str("question", Names.question(question.text(), rnd)).str("topic", question.topic())
        .close();
    w.emitChat(e);
  }

  /** The flow for the next event if chat_opened left it out; only that one event carries it. */
  private String takeDeferredFlow() {
    String f = deferredFlow;
    deferredFlow = null;
    return f;
  }
}
