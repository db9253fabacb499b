package dev.chatbotroi.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The identifiers of one person across the warehouse: CRM lead ids, e-mail hashes, visitor ids,
 * conversation ids, deal and ticket ids. Grain: one person (a handful of ids, never event-sized).
 */
public record Person(Set<String> leadIds, Set<String> emailHashes, Set<String> anonymousIds,
    Set<String> conversationIds, Set<String> dealIds, Set<String> ticketIds) {

  /** Rounds of identity resolution before erase gives up loudly (each round finds at least one new id). */
  static final int MAX_ROUNDS = 10_000;

  /** True when {@code c} (a string column) is one of {@code ids}; false for an empty set. */
  static Column in(Column c, Set<String> ids) {
    return ids.isEmpty() ? lit(false) : c.isin(ids.toArray());
  }

  /** Events of the person: by lead, e-mail hash, visitor id or conversation. */
  public Column eventFilter() {
    return in(col("user_id"), leadIds).or(in(col("lead_id"), leadIds)).or(in(col("email_hash"), emailHashes))
        .or(in(col("anonymous_id"), anonymousIds)).or(in(col("conversation_id"), conversationIds));
  }

  public Column conversationFilter() {
    return in(col("conversation_id"), conversationIds).or(in(col("lead_id"), leadIds))
        .or(in(col("anonymous_id"), anonymousIds));
  }

  public Column leadFilter() {
    return in(col("lead_id"), leadIds).or(in(col("email_hash"), emailHashes));
  }

  public Column dealFilter() {
    return in(col("deal_id"), dealIds).or(in(col("lead_id"), leadIds)).or(in(col("contact_email_hash"), emailHashes));
  }

  public Column ticketFilter() {
    return in(col("ticket_id"), ticketIds).or(in(col("lead_id"), leadIds)).or(in(col("anonymous_id"), anonymousIds))
        .or(in(col("conversation_id"), conversationIds));
  }

  /** Every id as one set, for free-text matching (quarantined raw lines). */
  public Set<String> allIds() {
    Set<String> all = new TreeSet<>();
    for (Set<String> s : List.of(leadIds, emailHashes, anonymousIds, conversationIds, dealIds, ticketIds)) {
      all.addAll(s);
    }
    return all;
  }

  /**
   * A raw line that holds any of the ids as a whole token (not inside a longer id), e.g. a
   * quarantined JSON line or CSV row of the person.
   */
  public Column rawFilter(Column raw) {
    Set<String> all = allIds();
    if (all.isEmpty()) {
      return lit(false);
    }
    List<String> quoted = new ArrayList<>();
    all.forEach(id -> quoted.add(Pattern.quote(id)));
    String token = "[A-Za-z0-9_.@\\-]";
    return raw.rlike("(?<!" + token + ")(" + String.join("|", quoted) + ")(?!" + token + ")");
  }

  public boolean isEmpty() {
    return allIds().isEmpty();
  }

  /** The distinct non-null strings of one column (a person's ids: small by construction). */
  static Set<String> values(Dataset<Row> rows, String column) {
    Set<String> out = new TreeSet<>();
    for (Row r : rows.where(col(column).isNotNull()).select(col(column)).distinct().collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  /**
   * Resolves a person from seeds (a lead id and/or an e-mail hash) by following the links the
   * pipeline itself uses: CRM e-mail hashes, `user_id` / `properties.lead_id` on events, the
   * visitor ids that carried them (the identity map), and the conversations of those visitors.
   * Repeats until nothing new is found (a fixed point), so a second lead with the same address,
   * and any chain of ids linked one to the next, is found too. Each round adds at least one id, so
   * it ends; {@link #MAX_ROUNDS} only guards against a bug, and then fails rather than erase half.
   */
  public static Person resolve(Dataset<Row> events, Dataset<Row> leads, Dataset<Row> deals, Dataset<Row> tickets,
      Set<String> seedLeadIds, Set<String> seedHashes) {
    Set<String> l = new TreeSet<>(seedLeadIds);
    Set<String> h = new TreeSet<>(seedHashes);
    Set<String> a = new TreeSet<>();
    for (int round = 1; ; round++) {
      if (round > MAX_ROUNDS) {
        throw new IllegalStateException("erase: the person's ids did not settle after " + MAX_ROUNDS
            + " rounds of identity resolution; nothing was deleted");
      }
      int size = l.size() + h.size() + a.size();
      Column ev = in(col("user_id"), l).or(in(col("lead_id"), l)).or(in(col("email_hash"), h))
          .or(in(col("anonymous_id"), a));
      Dataset<Row> linked = events.where(ev);
      l.addAll(values(leads.where(in(col("email_hash"), h)), "lead_id"));
      l.addAll(values(deals.where(in(col("contact_email_hash"), h)), "lead_id"));
      l.addAll(values(linked, "user_id"));
      l.addAll(values(linked, "lead_id"));
      h.addAll(values(leads.where(in(col("lead_id"), l)), "email_hash"));
      h.addAll(values(deals.where(in(col("lead_id"), l)), "contact_email_hash"));
      h.addAll(values(linked, "email_hash"));
      a.addAll(values(linked, "anonymous_id"));
      a.addAll(values(tickets.where(in(col("lead_id"), l)), "anonymous_id"));
      if (l.size() + h.size() + a.size() == size) {
        break;
      }
    }
    Column mine = in(col("user_id"), l).or(in(col("lead_id"), l)).or(in(col("email_hash"), h))
        .or(in(col("anonymous_id"), a));
    Set<String> c = values(events.where(mine), "conversation_id");
    Set<String> deal = values(deals.where(in(col("lead_id"), l).or(in(col("contact_email_hash"), h))), "deal_id");
    Set<String> t = values(tickets.where(in(col("lead_id"), l).or(in(col("anonymous_id"), a))
        .or(in(col("conversation_id"), c))), "ticket_id");
    return new Person(l, h, a, c, deal, t);
  }
}
