package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.ingest.preset.PresetMapper;
import static dev.chatbotroi.ingest.Rules.not;
import static dev.chatbotroi.ingest.Rules.rule;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Validates CRM and help-desk rows (docs/ingest.md) and types them into the `leads`, `deals` and
 * `tickets` columns; one output row per input row, with reason/detail on rows to quarantine.
 */
public final class CrmRecords {
  private CrmRecords() {}

  /** Column kinds of the CRM and help-desk files. */
  enum Kind { ID, TEXT, DIM, EMAIL, TS, BOOL, STAGE, MONEY, CURRENCY, SCORE }

  /** One column of a CRM / help-desk file: its header name, kind, and the table column it becomes. */
  record Field(String name, Kind kind, String target) {
    Field(String name, Kind kind) {
      this(name, kind, name);
    }
  }

  /** One CRM / help-desk input: its table, its columns in the order of docs/ingest.md. */
  public record Source(String name, TableSchema table, String idColumn, List<Field> fields) {
    public List<String> headerColumns() {
      return fields.stream().map(Field::name).toList();
    }
  }

  public static final Source LEADS = new Source("leads", LeadsTable.TABLE, "lead_id", List.of(
      new Field("lead_id", Kind.ID), new Field("created_at", Kind.TS), new Field("source", Kind.DIM),
      new Field("email", Kind.EMAIL, "email_hash"), new Field("status", Kind.TEXT),
      new Field("mql_at", Kind.TS), new Field("sql_at", Kind.TS), new Field("meeting_booked_at", Kind.TS),
      new Field("meeting_qualified", Kind.BOOL)));

  public static final Source DEALS = new Source("deals", DealsTable.TABLE, "deal_id", List.of(
      new Field("deal_id", Kind.ID), new Field("lead_id", Kind.TEXT),
      new Field("contact_email", Kind.EMAIL, "contact_email_hash"), new Field("created_at", Kind.TS),
      new Field("closed_at", Kind.TS), new Field("stage", Kind.STAGE), new Field("amount", Kind.MONEY),
      new Field("gross_profit", Kind.MONEY), new Field("currency", Kind.CURRENCY)));

  public static final Source TICKETS = new Source("tickets", TicketsTable.TABLE, "ticket_id", List.of(
      new Field("ticket_id", Kind.ID), new Field("created_at", Kind.TS),
      new Field("anonymous_id", Kind.TEXT), new Field("lead_id", Kind.TEXT),
      new Field("conversation_id", Kind.TEXT), new Field("intent", Kind.DIM),
      new Field("channel", Kind.DIM), new Field("csat_score", Kind.SCORE)));

  public static final List<Source> ALL = List.of(LEADS, DEALS, TICKETS);

  static final List<String> STAGES = List.of("closed_won", "closed_lost", "open");

  /** The cell, trimmed, with empty → null. */
  static Column cell(String name) {
    Column t = trim(col(name));
    return when(t.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(t);
  }

  /**
   * A CRM timestamp (docs/ingest.md): the event forms (ISO with offset, epoch ms), or a date / local date-time
   * with no offset, read in the reporting time zone. Null when unparseable.
   */
  static Column timestamp(Column s, String zone) {
    Column local = s.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        .or(s.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}$"));
    return when(s.rlike(EventRecords.TS_PATTERN), s.try_cast(DataTypes.TimestampType))
        .when(local, to_utc_timestamp(s.try_cast(DataTypes.TimestampType), zone))
        .when(s.rlike("^-?[0-9]{1,15}$"), timestamp_millis(s.cast(DataTypes.LongType)));
  }

  /** Input: source_file, line_number, raw and one string column per header name of the file. */
  public static Dataset<Row> validate(Dataset<Row> rows, Source source, Settings settings, String hashKey) {
    String zone = settings.timezone().getId();
    List<Column[]> rules = new ArrayList<>();
    List<Column> out = new ArrayList<>(List.of(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        col(LineReader.RAW), col(LineReader.FILE_ERROR)));
    // a line too long or not UTF-8 is malformed before any cell is looked at (docs/ingest.md)
    rules.add(rule(col(LineReader.LINE_ERROR).isNotNull(), "malformed_json", col(LineReader.LINE_ERROR)));
    List<Column[]> tsRules = new ArrayList<>();
    List<Column[]> propRules = new ArrayList<>();
    if (java.util.Arrays.asList(rows.columns()).contains(PresetMapper.UNMAPPABLE)) {
      rules.add(rule(col(PresetMapper.UNMAPPABLE).isNotNull(), "unmappable", col(PresetMapper.UNMAPPABLE)));
    }
    for (Field f : source.fields()) {
      Column v = cell(f.name());
      // an address in an id or a text cell becomes its hash before it is stored or matched, so an id
      // that is an address still links to the events that sent it (docs/ingest.md)
      Column scrubbed = Pii.scrubColumn(hashKey, v);
      Column typed;
      switch (f.kind()) {
        case ID -> {
          rules.add(rule(v.isNull(), "missing_field", f.name()));
          typed = scrubbed;
        }
        case TEXT -> typed = scrubbed;
        case DIM -> typed = Pii.scrubColumn(hashKey, lower(scrubbed));
        case EMAIL -> typed = Pii.hashColumn(hashKey, v);
        case TS -> {
          typed = timestamp(v, zone);
          tsRules.add(rule(v.isNotNull().and(typed.isNull()), "bad_timestamp", f.name()));
        }
        case BOOL -> {
          Column b = lower(v);
          typed = when(b.equalTo("true"), lit(true)).when(b.equalTo("false"), lit(false));
          propRules.add(rule(v.isNotNull().and(typed.isNull()), "bad_property", f.name()));
        }
        case STAGE -> {
          typed = lower(v);
          propRules.add(rule(not(typed.isin((Object[]) STAGES.toArray())), "bad_property", f.name()));
        }
        case MONEY -> {
          typed = v.try_cast(Schemas.MONEY);
          propRules.add(rule(v.isNotNull().and(typed.isNull().or(typed.lt(0))), "bad_property", f.name()));
        }
        case CURRENCY -> {
          typed = coalesce(upper(v), lit(settings.currency()));
          propRules.add(rule(typed.notEqual(lit(settings.currency())), "bad_property", f.name()));
        }
        case SCORE -> {
          typed = when(v.rlike("^[1-5]$"), v.cast(DataTypes.IntegerType));
          propRules.add(rule(v.isNotNull().and(typed.isNull()), "bad_property", f.name()));
        }
        default -> throw new IllegalStateException(f.kind().name());
      }
      out.add(typed.as(f.target()));
    }
    if (source == DEALS) {
      propRules.add(rule(lower(cell("stage")).equalTo("closed_won").and(cell("closed_at").isNull()),
          "bad_property", "closed_at"));
    }
    rules.addAll(tsRules);
    rules.addAll(propRules);
    Column[] first = Rules.first(rules);
    out.add(4, first[0].as(EventRecords.REASON));
    out.add(5, first[1].as(EventRecords.DETAIL));
    return rows.select(out.toArray(new Column[0]));
  }
}
