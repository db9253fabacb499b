package dev.chatbotroi.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.AttributionCreditsTable;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.metrics.Metrics;
import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Command `erase`: deletes one person's rows from every warehouse table, then recomputes the
 * periods those rows touched (conversations, metrics and gold tables) and attribution (whole).
 */
public final class EraseJob {
  private EraseJob() {}

  /** What was erased: the person's ids, rows deleted per table, and the recomputed range (null if none). */
  public record Result(Person person, Map<String, Long> deleted, Periods.Range range) {
    public String summary() {
      StringBuilder rows = new StringBuilder();
      deleted.forEach((t, n) -> rows.append(rows.length() == 0 ? "" : ", ").append(t).append(' ').append(n));
      return "erase: " + person.leadIds().size() + " lead ids, " + person.emailHashes().size() + " e-mail hashes, "
          + person.anonymousIds().size() + " visitor ids, " + person.conversationIds().size() + " conversations, "
          + person.dealIds().size() + " deals, " + person.ticketIds().size() + " tickets; rows deleted: " + rows
          + (range == null ? "; nothing to recompute" : "; recomputed " + range.from() + ".." + range.to());
    }
  }

  public static Result run(Tables tables, Settings settings, Set<String> leadIds, Set<String> emailHashes,
      String runId, PrintStream out, PrintStream err) {
    Dataset<Row> events = tables.read(EventsTable.TABLE)
        .select("event_ts", "anonymous_id", "user_id", "lead_id", "email_hash", "conversation_id");
    Person person = Person.resolve(events, tables.read(LeadsTable.TABLE), tables.read(DealsTable.TABLE),
        tables.read(TicketsTable.TABLE), leadIds, emailHashes);
    Map<String, Long> deleted = new LinkedHashMap<>();
    if (person.isEmpty()) {
      return new Result(person, deleted, null);
    }
    Periods.Range range = touched(tables, settings, person);

    delete(tables, deleted, EventsTable.TABLE, person.eventFilter());
    delete(tables, deleted, ConversationsTable.TABLE, person.conversationFilter());
    delete(tables, deleted, LeadsTable.TABLE, person.leadFilter());
    delete(tables, deleted, DealsTable.TABLE, person.dealFilter());
    delete(tables, deleted, TicketsTable.TABLE, person.ticketFilter());
    delete(tables, deleted, QuarantineTable.TABLE, person.rawFilter(col(QuarantineTable.RAW)));
    delete(tables, deleted, AttributionCreditsTable.TABLE,
        Person.in(col("deal_id"), person.dealIds()).or(Person.in(col("touch_id"), person.conversationIds())));

    // the periods the person was part of, then attribution (it has no periods to slice by)
    StageContext context = new StageContext(tables, settings, runId, null, out, err);
    if (range != null) {
      List<Stage> ranged = new java.util.ArrayList<>(Pipeline.CONVERSATIONS);
      ranged.addAll(Pipeline.METRICS);
      Pipeline.run(context, ranged, range);
    }
    Pipeline.run(context, Pipeline.ATTRIBUTE, null);
    return new Result(person, deleted, range);
  }

  private static void delete(Tables tables, Map<String, Long> deleted, TableSchema table, Column condition) {
    deleted.put(table.name(), tables.deleteWhereCounted(table, condition));
  }

  /** The first and last reporting date of any of the person's rows; null when none has a date. */
  static Periods.Range touched(Tables tables, Settings settings, Person person) {
    List<Dataset<Row>> dates = new ArrayList<>();
    dates.add(tables.read(EventsTable.TABLE).where(person.eventFilter())
        .select(Periods.localDate(col("event_ts"), settings).as("d")));
    dates.add(tables.read(ConversationsTable.TABLE).where(person.conversationFilter())
        .select(col(ConversationsTable.PERIOD_DATE).as("d")));
    dates.add(tables.read(LeadsTable.TABLE).where(person.leadFilter())
        .select(Periods.localDate(col("created_at"), settings).as("d")));
    Dataset<Row> deals = tables.read(DealsTable.TABLE).where(person.dealFilter());
    dates.add(deals.select(Periods.localDate(col("created_at"), settings).as("d")));
    dates.add(deals.select(Periods.localDate(col("closed_at"), settings).as("d")));
    dates.add(tables.read(TicketsTable.TABLE).where(person.ticketFilter())
        .select(Periods.localDate(col("created_at"), settings).as("d")));
    Dataset<Row> all = dates.get(0);
    for (Dataset<Row> d : dates.subList(1, dates.size())) {
      all = all.unionByName(d);
    }
    Row r = all.agg(min("d"), max("d")).first();
    if (r.isNullAt(0)) {
      return null;
    }
    LocalDate from = ((Date) r.get(0)).toLocalDate();
    LocalDate to = ((Date) r.get(1)).toLocalDate();
    return new Periods.Range(from, to);
  }
}
