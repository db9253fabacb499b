package dev.chatbotroi.generate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The traffic around the chats: widget impressions that are never opened, CRM leads from forms and
 * elsewhere, nurture touches and tickets unrelated to any chat; grain: one day (impressions: one chat's).
 */
final class Background {
  private final World w;
  private final SplittableRandom rnd;
  private final int perDay;

  Background(World w, int perDay) {
    this.w = w;
    this.rnd = w.rnd;
    this.perDay = perDay;
  }

  /** Visitors who see the widget and never open it. */
  void browsing(long dayStart, long t) throws IOException {
    int n = 5 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      Ev e = new Ev(w.ids.event(), "chat_impression", Math.max(dayStart, t - rnd.nextLong(40 * World.MIN)));
      if (w.hasRecentVisitors() && rnd.nextDouble() < 0.12) {
        Visitor v = w.recentVisitor();
        e.anon = v.anon;
        e.user = v.lead == null ? null : v.lead.id;
      } else {
        e.anon = w.ids.anonymous();
      }
      e.channel = w.sloppy(Mix.CHANNELS.pick(rnd), 0.03);
      e.page = Mix.BROWSE_PAGES.pick(rnd);
      if (rnd.nextDouble() < 0.2) {
        Utm.tag(e, Mix.UTMS.get(rnd.nextInt(Mix.UTMS.size())));
      }
      w.sink.emit(e);
    }
  }

  /** Leads that came in through a form or another channel today. */
  void crmLeads(long dayStart) throws IOException {
    long forms = w.count(perDay * 0.025);
    for (long i = 0; i < forms; i++) {
      formLead(dayStart + w.timeOfDay());
    }
    long others = w.count(perDay * 0.006);
    for (long i = 0; i < others; i++) {
      w.nurtured.add(w.crm.newLead(Mix.OTHER_SOURCES.pick(rnd), dayStart + w.timeOfDay(), Names.email(rnd), null));
    }
  }

  private void formLead(long at) throws IOException {
    double r = rnd.nextDouble();
    Visitor v = null;
    if (r < 0.6) {
      v = w.newVisitor();
    } else if (r < 0.8 && w.hasRecentVisitors()) {
      // Someone who chatted anonymously before: the form touch links the two.
      Visitor known = w.recentVisitor();
      v = known.lead == null && !known.returnPlanned ? known : null;
    }
    Crm.Lead lead = w.crm.newLead("form", at, Names.email(rnd), v == null ? null : v.anon);
    if (v != null) {
      v.lead = lead;
    }
    w.nurtured.add(lead);
    w.marketingTouch(lead.anon, lead.id, at, "form", Mix.TOUCH_UTM.get("form"));
  }

  /** Marketing keeps touching open leads until their deal closes. */
  void nurture(long dayStart) throws IOException {
    w.nurtured.removeIf(l -> l.nurtureUntil < dayStart);
    for (Crm.Lead l : w.nurtured) {
      if (rnd.nextDouble() < 0.07) {
        long at = dayStart + rnd.nextLong(World.DAY);
        String touch = Mix.NURTURE_TOUCH.pick(rnd);
        if (at > l.createdAt && at < l.nurtureUntil) {
          w.marketingTouch(l.anon, l.id, at, touch, Mix.TOUCH_UTM.get(touch));
        }
      }
    }
  }

  /** Help-desk tickets from anyone, not following a chat. */
  void unrelatedTickets(long dayStart) throws IOException {
    long n = w.count(perDay * 0.04);
    for (long i = 0; i < n; i++) {
      long at = dayStart + w.timeOfDay();
      double r = rnd.nextDouble();
      String anon = null;
      String lead = null;
      if (r < 0.6) {
        anon = w.ids.anonymous();
      } else if (r < 0.8 && w.hasRecentVisitors()) {
        Visitor v = w.recentVisitor();
        anon = v.anon;
        lead = v.lead == null ? null : v.lead.id;
      }
      String intent = Mix.ALL_INTENTS.get(rnd.nextInt(Mix.ALL_INTENTS.size()));
      w.crm.ticket(at, anon, lead, null, intent, Mix.TICKET_CHANNELS.pick(rnd));
    }
  }
}
