package dev.chatbotroi.generate;

import static dev.chatbotroi.generate.World.DAY;
import static dev.chatbotroi.generate.World.HOUR;
import static dev.chatbotroi.generate.World.MIN;
import static dev.chatbotroi.generate.World.SEC;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The site's holdout experiment `bot_holdout` (docs/experiments.md): arriving visitors are assigned
 * `holdout` (the widget never renders) or `bot` (as today) by a fair coin, with a lead-rate lift
 * known in advance ({@link #LEAD_RATE_LIFT}); grain: one day's enrolled visitors.
 */
final class Holdout {
  static final String EXPERIMENT = "bot_holdout";
  /** Visitors enrolled per conversation of the day. */
  static final double UNITS_PER_CONVERSATION = 1.0;
  /** Logged-in visitors: a lead already, so their assignment carries user_id and they bring no new lead. */
  static final double KNOWN = 0.10;
  /** In either arm, a new visitor fills in a form one to seven days later: the base rate. */
  static final double FORM = 0.05;
  /** In the bot arm, of the new visitors who fill in no form: the bot captures their lead in a chat. */
  static final double CONVERTED = 0.08;
  /** In the bot arm, of the rest: they chat but leave no contact details. */
  static final double CHATS = 0.12;
  /** Without a chat, a visitor of the bot arm writes to support within a week. */
  static final double TICKET = 0.03;
  /** A holdout visitor, with no bot to ask, writes to support more often: the bot deflects the difference. */
  static final double TICKET_WITHOUT_BOT = 0.06;
  /** The page is reloaded and the assignment sent again; a third of those name the other variant. */
  static final double RESENT = 0.03;
  /** What the bot causes, in expectation: the bot arm's lead rate minus the holdout's. */
  static final double LEAD_RATE_LIFT = (1 - KNOWN) * (1 - FORM) * CONVERTED;
  /**
   * Enrolment stops this many days before the lake ends, so that every enrolled visitor's form lead
   * falls inside it and {@link #LEAD_RATE_LIFT} is what the lake holds.
   */
  static final int STOP_DAYS_BEFORE_END = 8;

  /**
   * What happens to one enrolled visitor, drawn on arrival; RETURNS: a visitor assigned on an
   * earlier visit, assigned again with the arm they have (a reassignment, not a unit).
   */
  enum Fate { KNOWN, FORM, CONVERTED, CHATS, BROWSES, RETURNS }

  /** One enrolled visitor: when they arrive, their arm, what happens to them. */
  record Unit(long at, boolean bot, Fate fate, Visitor visitor, String user) {
    boolean chats() {
      return bot && (fate == Fate.CONVERTED || fate == Fate.CHATS);
    }
  }

  /** Plays a chat of an enrolled visitor through the day's conversations. */
  interface Chats {
    void play(long t, Visitor v, boolean converts) throws IOException;
  }

  private final World w;
  private final SplittableRandom rnd;
  private final int perDay;
  private final int days;
  /** The arm of every unit assigned so far: a visitor who comes back keeps it (the site stores it). */
  private final Map<String, Boolean> arms = new HashMap<>();

  Holdout(World w, int perDay, int days) {
    this.w = w;
    this.rnd = w.rnd;
    this.perDay = perDay;
    this.days = days;
  }

  /** Today's enrolled visitors with their arm and fate; none in the lake's last days. */
  List<Unit> enrol(int d, long dayStart) {
    List<Unit> units = new ArrayList<>();
    if (d + STOP_DAYS_BEFORE_END >= days) {
      return units;
    }
    long n = w.count(perDay * UNITS_PER_CONVERSATION);
    for (long i = 0; i < n; i++) {
      long at = dayStart + w.timeOfDay();
      boolean bot = rnd.nextBoolean();
      if (rnd.nextDouble() < KNOWN && known(at, bot, units)) {
        continue;
      }
      // never remembered among the recent visitors: nothing else in the lake makes them chat
      Visitor v = new Visitor(w.ids.anonymous());
      arms.put(v.anon, bot);
      Fate fate = rnd.nextDouble() < FORM ? Fate.FORM
          : !bot ? Fate.BROWSES
          : rnd.nextDouble() < CONVERTED ? Fate.CONVERTED
          : rnd.nextDouble() < CHATS ? Fate.CHATS : Fate.BROWSES;
      units.add(new Unit(at, bot, fate, v, null));
    }
    return units;
  }

  /**
   * Adds a logged-in visitor (a lead from before this visit) as a new unit and returns true; the
   * first lead already enrolled that the draw meets comes back as a reassignment. False, rarely, when no
   * lead qualifies: the caller enrols a new visitor instead.
   */
  private boolean known(long at, boolean bot, List<Unit> units) {
    boolean returned = false;
    for (int tries = 0; tries < 8 && !w.nurtured.isEmpty(); tries++) {
      Crm.Lead l = w.nurtured.get(rnd.nextInt(w.nurtured.size()));
      if (l.createdAt >= at) {
        continue; // not a lead yet at this visit
      }
      Visitor v = l.anon == null ? null : new Visitor(l.anon);
      Boolean arm = arms.get(l.anon == null ? "user:" + l.id : l.anon);
      if (arm != null) {
        if (!returned) {
          units.add(new Unit(at, arm, Fate.RETURNS, v, l.id));
          returned = true;
        }
        continue;
      }
      arms.put(l.anon == null ? "user:" + l.id : l.anon, bot);
      units.add(new Unit(at, bot, Fate.KNOWN, v, l.id));
      return true;
    }
    return false;
  }

  /** How many of {@code units} chat: they take that many of the day's conversations. */
  static int chats(List<Unit> units) {
    return (int) units.stream().filter(Unit::chats).count();
  }

  /** Each unit's assignment, the widget for the bot arm, and what follows. */
  void play(List<Unit> units, Chats chats) throws IOException {
    for (Unit u : units) {
      String anon = u.visitor() == null ? null : u.visitor().anon;
      assign(u.at(), anon, u.user(), u.bot());
      if (u.fate() != Fate.RETURNS && rnd.nextDouble() < RESENT) {
        boolean again = rnd.nextDouble() < 1 / 3.0 ? !u.bot() : u.bot();
        assign(u.at() + MIN + rnd.nextLong(3 * DAY), anon, u.user(), again);
      }
      if (u.chats()) {
        // the chat opens a few minutes after the page, and so after the assignment
        u.visitor().leavesNoDetails = u.fate() == Fate.CHATS;
        chats.play(u.at() + 200 * SEC + rnd.nextLong(10 * MIN), u.visitor(), u.fate() == Fate.CONVERTED);
        continue;
      }
      if (u.bot()) {
        impression(u.at() + (2 + rnd.nextInt(28)) * SEC, anon, u.user());
      }
      if (u.fate() == Fate.FORM) {
        form(u.at() + DAY + rnd.nextLong(6 * DAY), u.visitor());
      }
      if (u.fate() != Fate.KNOWN && u.fate() != Fate.RETURNS
          && rnd.nextDouble() < (u.bot() ? TICKET : TICKET_WITHOUT_BOT)) {
        String intent = Mix.ALL_INTENTS.get(rnd.nextInt(Mix.ALL_INTENTS.size()));
        w.crm.ticket(u.at() + HOUR + rnd.nextLong(7 * DAY), anon, null, null, intent, Mix.TICKET_CHANNELS.pick(rnd));
      }
    }
  }

  private void assign(long at, String anon, String user, boolean bot) throws IOException {
    Ev e = new Ev(w.ids.event(), "experiment_assigned", at);
    e.anon = anon;
    e.user = user;
    e.channel = "web";
    // now and then spelt as a sloppy tag manager sends it: stored trimmed and lower-cased
    e.props = new JsonObj().str("experiment", w.sloppy(EXPERIMENT, 0.03))
        .str("variant", w.sloppy(bot ? "bot" : "holdout", 0.03)).close();
    w.sink.emit(e);
  }

  private void impression(long at, String anon, String user) throws IOException {
    Ev imp = new Ev(w.ids.event(), "chat_impression", at);
    imp.anon = anon;
    imp.user = user;
    imp.channel = "web";
    imp.page = Mix.BROWSE_PAGES.pick(rnd);
    w.sink.emit(imp);
  }

  /** A form lead a day or more after the visit (so a date-only created_at still falls after the assignment). */
  private void form(long at, Visitor v) throws IOException {
    Crm.Lead lead = w.crm.newLead("form", at, Names.email(rnd), v.anon);
    v.lead = lead;
    w.nurtured.add(lead);
    w.marketingTouch(lead.anon, lead.id, at, "form", Mix.TOUCH_UTM.get("form"));
  }
}
