package dev.chatbotroi.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Keeps CRM leads and their planned deals, streams help-desk tickets, and writes the CRM and help-desk CSV files (docs/ingest.md). */
final class Crm implements AutoCloseable {
  static final String LEADS_HEADER =
      "lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified";
  static final String DEALS_HEADER =
      "deal_id,lead_id,contact_email,created_at,closed_at,stage,amount,gross_profit,currency";
  static final String TICKETS_HEADER =
      "ticket_id,created_at,anonymous_id,lead_id,conversation_id,intent,channel,csat_score";

  static final List<String> BAD_LEADS = List.of("missing_id", "bad_created_at", "bad_mql_at", "qualified_maybe");
  static final List<String> BAD_DEALS = List.of("missing_id", "bad_created_at", "amount_unparseable",
      "amount_negative", "gross_profit_unparseable", "unknown_stage", "currency_eur", "won_without_closed_at");
  static final List<String> BAD_TICKETS = List.of("missing_id", "bad_created_at", "csat_out_of_range",
      "csat_unparseable");
  /** Share of good rows followed by a row to quarantine. */
  private static final double BAD_ROW_RATE = 0.01;
  private static final long NONE = Long.MIN_VALUE;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  /** One CRM lead and what will happen to it, decided when it is created. */
  static final class Lead {
    final String id;
    final long createdAt;
    final String source;
    final String email;
    final String anon;
    long mqlAt = NONE;
    long sqlAt = NONE;
    long meetingAt = NONE;
    String meetingQualified = "";
    boolean disqualified;
    boolean nurture;
    boolean repeatedRow;
    boolean hasDeal;
    long dealCreatedAt;
    long dealClosedAt;
    boolean won;
    long amountCents;
    long grossProfitCents = NONE;
    String currency;
    /** The deal names no lead_id; only its contact e-mail links it to this lead. */
    boolean linkedByEmailOnly;
    /** Until when marketing keeps touching this lead. */
    long nurtureUntil;

    Lead(String id, long createdAt, String source, String email, String anon) {
      this.id = id;
      this.createdAt = createdAt;
      this.source = source;
      this.email = email;
      this.anon = anon;
    }
  }

  private final SplittableRandom rnd;
  private final Stamps stamps;
  private final Ids ids;
  private final Path crmDir;
  private final long endMs;
  private final List<Lead> leads = new ArrayList<>();
  private final Writer ticketsOut;
  private int nextBadTicket;
  private int badTickets;
  private long tickets;
  private long leadRows;
  private long dealRows;

  Crm(Path outDir, SplittableRandom rnd, Stamps stamps, Ids ids, long endMs) throws IOException {
    this.rnd = rnd;
    this.stamps = stamps;
    this.ids = ids;
    this.endMs = endMs;
    this.crmDir = outDir.resolve("crm");
    Files.createDirectories(crmDir);
    Path helpdesk = outDir.resolve("helpdesk");
    Files.createDirectories(helpdesk);
    ticketsOut = Files.newBufferedWriter(helpdesk.resolve("tickets.csv"), StandardCharsets.UTF_8);
    ticketsOut.write(TICKETS_HEADER);
    ticketsOut.write('\n');
  }

  /** A new lead with its whole future (qualification, meeting, deal) drawn now. */
  Lead newLead(String source, long createdAt, String email, String anon) {
    Lead l = new Lead(ids.lead(), createdAt, source, email, anon);
    boolean chatbot = source.equals("chatbot");
    double mqlShare = chatbot ? 0.42 : source.equals("form") ? 0.50 : 0.30;
    if (rnd.nextDouble() < mqlShare) {
      l.mqlAt = createdAt + 2 * HOUR + (long) (rnd.nextDouble() * 4 * DAY);
      if (rnd.nextDouble() < 0.45) {
        l.sqlAt = l.mqlAt + 12 * HOUR + (long) (rnd.nextDouble() * 5 * DAY);
      }
    }
    if (!chatbot && rnd.nextDouble() < (l.sqlAt != NONE ? 0.5 : 0.08)) {
      // Form and event leads book meetings through sales, not through the bot.
      bookMeeting(l, createdAt + DAY + (long) (rnd.nextDouble() * 11 * DAY));
    }
    l.disqualified = l.mqlAt == NONE && rnd.nextDouble() < 0.2;
    l.nurture = l.mqlAt == NONE && !l.disqualified && rnd.nextDouble() < 0.1;
    l.repeatedRow = rnd.nextDouble() < 0.02;
    double dealShare = l.sqlAt != NONE ? 0.7 : l.mqlAt != NONE ? 0.35 : 0.05;
    l.nurtureUntil = createdAt + 30 * DAY;
    if (rnd.nextDouble() < dealShare) {
      l.hasDeal = true;
      long qualified = l.sqlAt != NONE ? l.sqlAt : l.mqlAt != NONE ? l.mqlAt : createdAt;
      l.dealCreatedAt = qualified + (long) (rnd.nextDouble() * 3 * DAY);
      l.dealClosedAt = l.dealCreatedAt + 2 * DAY + (long) (rnd.nextDouble() * 23 * DAY);
      l.won = rnd.nextDouble() < (l.sqlAt != NONE ? 0.55 : 0.35);
      l.amountCents = 80_000 + (long) (rnd.nextDouble() * 2_920_000);
      if (rnd.nextDouble() < 0.25) {
        // Sales rounds most quotes.
        l.amountCents = l.amountCents / 10_000 * 10_000;
      }
      if (rnd.nextDouble() < 0.4) {
        l.grossProfitCents = (long) (l.amountCents * (0.25 + rnd.nextDouble() * 0.45));
      }
      l.currency = rnd.nextDouble() < 0.8 ? "USD" : "";
      l.linkedByEmailOnly = rnd.nextDouble() < 0.15;
      l.nurtureUntil = l.dealClosedAt;
    }
    leads.add(l);
    return l;
  }

  /** The first booking counts; sales decides later whether the meeting was qualified. */
  void bookMeeting(Lead l, long at) {
    if (l.meetingAt != NONE) {
      return;
    }
    l.meetingAt = at;
    double r = rnd.nextDouble();
    double yes = l.mqlAt != NONE ? 0.75 : 0.45;
    l.meetingQualified = r < yes ? "true" : r < 0.9 ? "false" : "";
  }

  /** A help-desk ticket; one created after the lake's last day does not exist yet. */
  void ticket(long createdAt, String anon, String leadId, String conv, String intent, String channel)
      throws IOException {
    if (createdAt >= endMs) {
      return;
    }
    String score = rnd.nextDouble() < 0.55 ? Integer.toString(humanScore()) : "";
    writeRow(ticketsOut, ids.ticket(), stamps.crm(createdAt, false), nz(anon), nz(leadId), nz(conv), intent,
        channel, score);
    tickets++;
    if (rnd.nextDouble() < BAD_ROW_RATE) {
      badTicket(createdAt);
    }
  }

  private int humanScore() {
    double r = rnd.nextDouble();
    return r < 0.55 ? 5 : r < 0.82 ? 4 : r < 0.9 ? 3 : r < 0.95 ? 2 : 1;
  }

  private void badTicket(long at) throws IOException {
    String variant = BAD_TICKETS.get(nextBadTicket);
    nextBadTicket = (nextBadTicket + 1) % BAD_TICKETS.size();
    badTickets++;
    String id = variant.equals("missing_id") ? "" : ids.ticket();
    String created = variant.equals("bad_created_at") ? "yesterday" : stamps.crm(at, false);
    String score = switch (variant) {
      case "csat_out_of_range" -> "9";
      case "csat_unparseable" -> "great";
      default -> "4";
    };
    writeRow(ticketsOut, id, created, "", "", "", "billing", "email", score);
  }

  long tickets() {
    return tickets;
  }

  long leadRows() {
    return leadRows;
  }

  long dealRows() {
    return dealRows;
  }

  /** Writes leads.csv and deals.csv and finishes tickets.csv, each with every bad-row variant. */
  void finish() throws IOException {
    while (badTickets < BAD_TICKETS.size()) {
      badTicket(endMs - DAY);
    }
    ticketsOut.close();
    writeLeads();
    writeDeals();
  }

  private void writeLeads() throws IOException {
    int nextBad = 0;
    try (Writer w = Files.newBufferedWriter(crmDir.resolve("leads.csv"), StandardCharsets.UTF_8)) {
      w.write(LEADS_HEADER);
      w.write('\n');
      int badWritten = 0;
      for (Lead l : leads) {
        if (l.createdAt >= endMs) {
          continue;
        }
        String created = stamps.crm(l.createdAt, !l.source.equals("chatbot"));
        String email = crmEmail(l.email);
        if (l.repeatedRow) {
          // An older export row of the same lead: the later row must win.
          writeRow(w, l.id, created, l.source, email, "new", "", "", "", "");
        }
        writeRow(w, l.id, created, l.source, email, status(l), at(l.mqlAt), at(l.sqlAt), at(l.meetingAt),
            l.meetingAt != NONE && l.meetingAt < endMs ? l.meetingQualified : "");
        leadRows++;
        if (rnd.nextDouble() < BAD_ROW_RATE) {
          badLead(w, BAD_LEADS.get(nextBad), l);
          nextBad = (nextBad + 1) % BAD_LEADS.size();
          badWritten++;
        }
      }
      for (int i = badWritten; i < BAD_LEADS.size(); i++) {
        badLead(w, BAD_LEADS.get(nextBad), leads.isEmpty() ? null : leads.get(0));
        nextBad = (nextBad + 1) % BAD_LEADS.size();
      }
    }
  }

  private void badLead(Writer w, String variant, Lead like) throws IOException {
    long at = like == null ? endMs - DAY : like.createdAt;
    String id = variant.equals("missing_id") ? "" : ids.lead();
    String created = variant.equals("bad_created_at") ? "03/05/2026" : stamps.crm(at, true);
    String mql = variant.equals("bad_mql_at") ? "next week" : "";
    String qualified = variant.equals("qualified_maybe") ? "maybe" : "";
    String meeting = variant.equals("qualified_maybe") ? stamps.crm(at + DAY, true) : "";
    writeRow(w, id, created, "form", Names.email(rnd), "new", mql, "", meeting, qualified);
  }

  private String status(Lead l) {
    if (l.hasDeal && l.won && l.dealClosedAt < endMs) {
      return "customer";
    }
    if (l.sqlAt != NONE && l.sqlAt < endMs) {
      return "sql";
    }
    if (l.mqlAt != NONE && l.mqlAt < endMs) {
      return "mql";
    }
    if (l.disqualified) {
      return "disqualified";
    }
    if (l.nurture) {
      return "nurture, long-term";
    }
    return endMs - l.createdAt < 3 * DAY ? "new" : "working";
  }

  private void writeDeals() throws IOException {
    int nextBad = 0;
    int badWritten = 0;
    try (Writer w = Files.newBufferedWriter(crmDir.resolve("deals.csv"), StandardCharsets.UTF_8)) {
      w.write(DEALS_HEADER);
      w.write('\n');
      Lead last = null;
      for (Lead l : leads) {
        if (!l.hasDeal || l.dealCreatedAt >= endMs) {
          continue;
        }
        last = l;
        boolean closed = l.dealClosedAt < endMs;
        String stage = !closed ? "open" : l.won ? "closed_won" : "closed_lost";
        String leadId = l.linkedByEmailOnly ? "" : l.id;
        String contact = varyCase(l.email);
        writeRow(w, ids.deal(), leadId, contact, stamps.crm(l.dealCreatedAt, true),
            closed ? stamps.crm(l.dealClosedAt, true) : "", stage, money(l.amountCents),
            l.grossProfitCents == NONE ? "" : money(l.grossProfitCents), l.currency);
        dealRows++;
        if (rnd.nextDouble() < 0.05) {
          // A customer no lead knows about: the deal stays unattributed.
          long created = l.dealCreatedAt + (long) (rnd.nextDouble() * DAY);
          long closedAt = created + 2 * DAY + (long) (rnd.nextDouble() * 18 * DAY);
          boolean done = closedAt < endMs;
          writeRow(w, ids.deal(), "", Names.email(rnd), stamps.crm(created, true),
              done ? stamps.crm(closedAt, true) : "", done ? "closed_won" : "open",
              money(50_000 + (long) (rnd.nextDouble() * 500_000)), "", "USD");
          dealRows++;
        }
        if (rnd.nextDouble() < BAD_ROW_RATE * 3) {
          badDeal(w, BAD_DEALS.get(nextBad), l);
          nextBad = (nextBad + 1) % BAD_DEALS.size();
          badWritten++;
        }
      }
      for (int i = badWritten; i < BAD_DEALS.size(); i++) {
        badDeal(w, BAD_DEALS.get(nextBad), last);
        nextBad = (nextBad + 1) % BAD_DEALS.size();
      }
    }
  }

  private void badDeal(Writer w, String variant, Lead like) throws IOException {
    long at = like == null ? endMs - 10 * DAY : like.dealCreatedAt;
    String id = variant.equals("missing_id") ? "" : ids.deal();
    String leadId = like == null ? "" : like.id;
    String contact = like == null ? Names.email(rnd) : like.email;
    String created = variant.equals("bad_created_at") ? "2026-13-01" : stamps.crm(at, true);
    String closed = variant.equals("won_without_closed_at") ? "" : stamps.crm(at + 3 * DAY, true);
    String stage = variant.equals("unknown_stage") ? "won" : "closed_won";
    String amount = switch (variant) {
      case "amount_unparseable" -> "12k";
      case "amount_negative" -> "-1200.00";
      default -> "1200.00";
    };
    String gp = variant.equals("gross_profit_unparseable") ? "n/a" : "";
    String currency = variant.equals("currency_eur") ? "EUR" : "USD";
    writeRow(w, id, leadId, contact, created, closed, stage, amount, gp, currency);
  }

  private String at(long ms) {
    return ms == NONE || ms >= endMs ? "" : stamps.crm(ms, true);
  }

  /** CRMs keep what the person typed: sometimes capitalised, never with surrounding spaces. */
  private String crmEmail(String email) {
    return rnd.nextDouble() < 0.15 ? Names.capitalise(email) : email;
  }

  private String varyCase(String email) {
    return rnd.nextDouble() < 0.3 ? Names.capitalise(email) : email;
  }

  private static String money(long cents) {
    if (cents % 100 == 0) {
      return Long.toString(cents / 100);
    }
    return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** CSV: a field is quoted only when it holds a comma or a quote. */
  static void writeRow(Writer w, String... fields) throws IOException {
    StringBuilder b = new StringBuilder(128);
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      String f = fields[i];
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0) {
        b.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        b.append(f);
      }
    }
    w.write(b.append('\n').toString());
  }

  @Override
  public void close() throws IOException {
    ticketsOut.close();
  }
}
