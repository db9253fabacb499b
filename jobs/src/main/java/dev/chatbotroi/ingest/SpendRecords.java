package dev.chatbotroi.ingest;

import static dev.chatbotroi.ingest.CrmRecords.cell;
import static dev.chatbotroi.ingest.Rules.rule;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SpendTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Validates marketing spend rows (docs/ingest.md#marketing-spend) and types them into the `spend`
 * columns; one output row per input row, with reason/detail on rows to quarantine.
 */
public final class SpendRecords {
  private SpendRecords() {}

  /** The input's name: its files' source, and `quarantine.source` of its rejected rows. */
  public static final String SOURCE = "spend";

  /** The header names of `marketing/spend.csv`, in the order of docs/ingest.md. */
  public static final List<String> COLUMNS = List.of(SpendTable.DATE, SpendTable.CHANNEL, SpendTable.CAMPAIGN,
      SpendTable.AMOUNT, SpendTable.CURRENCY);

  /** Input: source_file, line_number, raw and one string column per name of {@link #COLUMNS}. */
  public static Dataset<Row> validate(Dataset<Row> rows, Settings settings, String hashKey) {
    Column dateCell = cell(SpendTable.DATE);
    // exactly YYYY-MM-DD, and a real day: the cast turns 2026-02-30 into null
    Column date = when(dateCell.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), dateCell.try_cast(DataTypes.DateType));
    Column channelCell = cell(SpendTable.CHANNEL);
    // as touch_channel is stored, so spend meets the credits of its channel; addresses hashed before
    // and after lower-casing, as every CRM text cell (docs/ingest.md#personal-data)
    Column channel = Pii.scrubColumn(hashKey, EventRecords.normalized(Pii.scrubColumn(hashKey, channelCell)));
    Column campaign = coalesce(Pii.scrubColumn(hashKey, cell(SpendTable.CAMPAIGN)), lit(SpendTable.NO_CAMPAIGN));
    Column amountCell = cell(SpendTable.AMOUNT);
    Column amount = amountCell.try_cast(Schemas.MONEY);
    Column currency = coalesce(upper(cell(SpendTable.CURRENCY)), lit(settings.currency()));
    Column[] first = Rules.first(List.of(
        rule(col(LineReader.LINE_ERROR).isNotNull(), "malformed_json", col(LineReader.LINE_ERROR)),
        rule(dateCell.isNull(), "missing_field", SpendTable.DATE),
        rule(channelCell.isNull(), "missing_field", SpendTable.CHANNEL),
        rule(date.isNull(), "bad_timestamp", SpendTable.DATE),
        // an empty amount is no amount: unlike a deal's, a spend row exists to carry one
        rule(amount.isNull().or(amount.lt(0)), "bad_property", SpendTable.AMOUNT),
        rule(currency.notEqual(lit(settings.currency())), "bad_property", SpendTable.CURRENCY)));
    return rows.select(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER), col(LineReader.RAW),
        col(LineReader.FILE_ERROR), first[0].as(EventRecords.REASON), first[1].as(EventRecords.DETAIL),
        date.as(SpendTable.DATE), channel.as(SpendTable.CHANNEL), campaign.as(SpendTable.CAMPAIGN),
        amount.as(SpendTable.AMOUNT), currency.as(SpendTable.CURRENCY));
  }
}
