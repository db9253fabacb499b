package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Every metric of the `metrics` table, one entry each: what it counts over which rows, where it is
 * written, whether the scoreboard shows it and with which band; grain: one metric. The metric
 * computation, the scoreboard's columns, the band check and the table in docs/metrics.md all read
 * this list; adding a metric is adding an entry.
 */
public final class MetricCatalog {
  private MetricCatalog() {}

  /** How a metric's numerator, denominator and value relate (docs/metrics.md). */
  public enum Kind { COUNT, PROPORTION, MEDIAN, COST }

  /** The rows an aggregate runs over, each fanned out to the periods and segments it counts in. */
  public enum Source { CONVERSATIONS, IMPRESSIONS, LEADS, TICKETS }

  /**
   * An aggregate over one source's rows; {@code zero}: a segment with no such rows reads 0 (counts
   * and sums) rather than nothing (medians).
   */
  public record Agg(Source source, Column expression, boolean zero) {}

  /** A numerator or denominator: a formula over some aggregates' values (doubles) and the settings. */
  public record Term(List<Agg> aggs, BiFunction<Settings, List<Column>, Column> formula) {
    static Term of(Source source, Column expression) {
      return new Term(List.of(new Agg(source, expression, true)), (s, v) -> v.get(0));
    }

    static Term median(Column expression) {
      return new Term(List.of(new Agg(Source.CONVERSATIONS, expression, false)), (s, v) -> v.get(0));
    }

    static Term none() {
      return new Term(List.of(), (s, v) -> lit(null).cast(DataTypes.DoubleType));
    }
  }

  /**
   * One metric. {@code population}: the rows exist where this term is above 0 (for ratios and
   * medians, the denominator). {@code headline}: its place on the scoreboard, or -1.
   * {@code band}: its key under `benchmarks.`, or null; {@code baseline}: the metric a lead metric
   * is graded against instead of a band.
   */
  public record Metric(String name, Kind kind, Term numerator, Term denominator, Term population,
      List<Integer> sets, int headline, String band, String baseline, String doc) {
    public boolean isHeadline() {
      return headline >= 0;
    }
  }

  static final Source C = Source.CONVERSATIONS;

  static Column flag(String name) {
    return col(name);
  }

  static final Column ENGAGED = flag("engaged");

  static Term conv(Column aggregate) {
    return Term.of(C, aggregate);
  }

  static Term engaged() {
    return conv(count_if(ENGAGED));
  }

  static Term conversations() {
    return conv(count(lit(1)));
  }

  static Metric amount(String name, Term value, List<Integer> sets, Term population, String doc) {
    return new Metric(name, Kind.COUNT, value, Term.none(), population, sets, -1, null, null, doc);
  }

  static Metric ratio(String name, Term num, Term den, List<Integer> sets, String doc) {
    return new Metric(name, Kind.PROPORTION, num, den, den, sets, -1, null, null, doc);
  }

  static Metric middle(String name, Column value, Term n, String doc) {
    return new Metric(name, Kind.MEDIAN, Term.median(value), n, n, Segments.ALL_SETS, -1, null, null, doc);
  }

  static Metric headline(Metric m, int place, String band) {
    return new Metric(m.name(), m.kind(), m.numerator(), m.denominator(), m.population(), m.sets(), place, band,
        null, m.doc());
  }

  static Metric graded(Metric m, int place, String baseline) {
    return new Metric(m.name(), m.kind(), m.numerator(), m.denominator(), m.population(), m.sets(), place, null,
        baseline, m.doc());
  }

  /** The outcomes with a CSAT metric of their own, in the order they are written. */
  static final List<String> OUTCOMES = List.of("resolved", "handed_off", "completed", "abandoned");

  /** Every metric, in the order rows are written. */
  public static final List<Metric> ALL = List.copyOf(all());

  private static List<Metric> all() {
    List<Integer> all = Segments.ALL_SETS;
    Term impressions = Term.of(Source.IMPRESSIONS, count(lit(1)));
    Term botLeads = Term.of(Source.LEADS, count_if(col("_bot")));
    Term formLeads = Term.of(Source.LEADS, count_if(col("_form")));
    Term completed = conv(count_if(col("completed")));
    Term resolvedAll = conv(count_if(col("resolved")));
    List<Metric> m = new ArrayList<>(List.of(
        amount("impressions", impressions, Segments.CHANNEL_ONLY, impressions, "`chat_impression` events"),
        amount("conversations", conversations(), all, conversations(), "conversations"),
        amount("engaged_conversations", engaged(), all, conversations(),
            "conversations with `chat_engaged` or a `user_message`"),
        headline(ratio("engagement_rate", engaged(), impressions, Segments.CHANNEL_ONLY,
            "engaged conversations / impressions"), 0, "engagement_rate"),
        headline(ratio("goal_completion_rate", conv(count_if(flag("goal_completed"))), conversations(), all,
            "conversations with `bot_goal_completed` / conversations"), 1, "goal_completion_rate"),
        headline(ratio("deflection_rate", conv(count_if(flag("eligible").and(flag("deflected")))),
            conv(count_if(flag("eligible"))), all, "deflected / eligible (intent in `deflection.eligible-intents`)"),
            2, "deflection_rate"),
        headline(ratio("resolution_rate", conv(count_if(ENGAGED.and(flag("resolved")))), engaged(), all,
            "engaged and resolved / engaged"), 3, "resolution_rate"),
        headline(ratio("fallback_rate", conv(sum(col("fallback_turns"))), conv(sum(col("bot_turns"))), all,
            "`bot_fallback` turns / bot turns (`bot_message` + `bot_fallback`)"), 4, "fallback_rate"),
        ratio("fallback_session_rate", conv(count_if(ENGAGED.and(col("fallback_turns").gt(0)))), engaged(), all,
            "engaged with at least one fallback / engaged"),
        headline(ratio("handoff_rate", conv(count_if(ENGAGED.and(flag("handed_off")))), engaged(), all,
            "engaged and handed off / engaged"), 5, "handoff_rate"),
        headline(middle("median_turns", median(when(col("completed"), col("user_turns").cast(DataTypes.DoubleType))),
            completed, "`user_turns` of completed (goal completed or resolved) conversations"), 8, "median_turns"),
        middle("median_duration_seconds", median(when(col("completed"), col("duration_seconds"))), completed,
            "`duration_seconds` of completed conversations"),
        headline(middle("median_first_useful_answer_seconds", median(when(ENGAGED, col("first_useful_answer_seconds"))),
            conv(count_if(ENGAGED.and(col("first_useful_answer_seconds").isNotNull()))),
            "first useful bot answer − first visitor message, over engaged conversations that have one"),
            7, "median_first_useful_answer_seconds"),
        headline(cost("cost_per_interaction", engaged(), "program cost / engaged conversations"), 11,
            "cost_per_interaction"),
        cost("cost_per_resolution", resolvedAll, "program cost / resolved conversations (engaged or not)"),
        headline(ratio("conversion_rate", conv(count_if(ENGAGED.and(flag("converted")))), engaged(), all,
            "engaged and converted / engaged"), 10, "conversion_rate"),
        ratio("chat_to_lead_rate", conv(count_if(ENGAGED.and(flag("lead_captured")))), engaged(), all,
            "engaged with `lead_captured_chat` / engaged"),
        graded(ratio("lead_quality_rate", Term.of(Source.LEADS, count_if(col("_bot").and(col("_qualified")))),
            botLeads, all, "qualified chatbot leads / chatbot leads, by lead `created_at`, segmented by the"
                + " conversation that captured the lead"), 12, "lead_quality_rate_form"),
        ratio("lead_quality_rate_form", Term.of(Source.LEADS, count_if(col("_form").and(col("_qualified")))),
            formLeads, Segments.TOTAL_ONLY, "the same for form leads: the baseline"),
        graded(ratio("qualified_booking_rate", Term.of(Source.LEADS, count_if(col("_bot").and(col("_booked")))),
            botLeads, all, "chatbot leads with `meeting_booked_at` and `meeting_qualified` / chatbot leads"), 13,
            "qualified_booking_rate_form"),
        ratio("qualified_booking_rate_form", Term.of(Source.LEADS, count_if(col("_form").and(col("_booked")))),
            formLeads, Segments.TOTAL_ONLY, "the same for form leads: the baseline"),
        headline(ratio("csat", conv(count_if(flag("csat_positive"))), conv(count_if(col("csat_score").isNotNull())),
            all, "conversations whose latest response is at least `csat.positive-min` / conversations with a"
                + " response"), 9, "csat")));
    for (String o : OUTCOMES) {
      Column is = col("outcome").equalTo(o);
      m.add(ratio("csat_" + o, conv(count_if(is.and(flag("csat_positive")))),
          conv(count_if(is.and(col("csat_score").isNotNull()))), all, "`csat` of conversations with outcome `" + o + "`"));
    }
    Term scored = Term.of(Source.TICKETS, count(lit(1)));
    m.add(ratio("csat_human", Term.of(Source.TICKETS, count_if(col("_positive"))), scored,
        Segments.TOTAL_ONLY, "help-desk tickets with `csat_score` at least `csat.positive-min` / tickets with a score,"
            + " by `created_at`: the human baseline"));
    m.add(headline(ratio("knowledge_gap_rate", conv(count_if(ENGAGED.and(flag("knowledge_gap")))), engaged(), all,
        "engaged with `bot_knowledge_gap` / engaged"), 6, "knowledge_gap_rate"));
    m.add(amount("purchase_revenue_after_chat",
        conv(sum(when(col("converted"), col("purchase_revenue"))).cast(DataTypes.DoubleType)), all, conversations(),
        "revenue of the purchases counted in `converted`"));
    Term deflected = conv(count_if(flag("eligible").and(flag("deflected"))));
    m.add(amount("deflection_savings", new Term(deflected.aggs(), (s, v) -> v.get(0)
            .multiply(s.costs().manualCostPerConversation()).minus(v.get(0).multiply(s.costs().perConversation()))
            .minus(Metrics.prorated(s.costs().platformMonthly()))),
        Segments.TOTAL_ONLY, conversations(), "deflected × (`costs.manual-cost-per-conversation` −"
            + " `costs.per-conversation`) − the prorated platform fee"));
    return m;
  }

  /** A cost ratio: the period's program cost over a count. */
  static Metric cost(String name, Term count, String doc) {
    Term programCost = new Term(engaged().aggs(), (s, v) -> Metrics.prorated(
        s.costs().platformMonthly() + s.costs().maintenanceMonthly()).plus(v.get(0).multiply(s.costs().perConversation())));
    return new Metric(name, Kind.COST, programCost, count, count, Segments.TOTAL_ONLY, -1, null, null, doc);
  }

  /** The scoreboard's metrics, in the order it shows them. */
  public static List<Metric> headline() {
    return ALL.stream().filter(Metric::isHeadline)
        .sorted(java.util.Comparator.comparingInt(Metric::headline)).toList();
  }

  public static List<String> headlineNames() {
    return headline().stream().map(Metric::name).toList();
  }

  /** The table of docs/metrics.md: one row per metric, as the catalogue defines it (a test keeps them equal). */
  public static String markdown() {
    StringBuilder b = new StringBuilder("| metric | kind | definition | segments | scoreboard |\n|---|---|---|---|---|\n");
    for (Metric m : ALL) {
      String sets = m.sets().equals(Segments.ALL_SETS) ? "all" : m.sets().equals(Segments.CHANNEL_ONLY)
          ? "(), (channel)" : "() only";
      String board = !m.isHeadline() ? "—" : m.band() != null ? "yes, band `benchmarks." + m.band() + "`"
          : "yes, graded against `" + m.baseline() + "`";
      String kind = switch (m.kind()) {
        case COUNT -> "count";
        case PROPORTION -> "proportion";
        case MEDIAN -> "median";
        case COST -> "cost ratio";
      };
      b.append("| `").append(m.name()).append("` | ").append(kind).append(" | ").append(m.doc()).append(" | ")
          .append(sets).append(" | ").append(board).append(" |\n");
    }
    return b.toString();
  }

  public static Metric named(String name) {
    return ALL.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no metric " + name));
  }
}
