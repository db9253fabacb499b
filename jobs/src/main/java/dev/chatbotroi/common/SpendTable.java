package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import java.util.List;

/** Table `spend`: one row per (date, channel, campaign) of marketing spend; the latest row seen wins (docs/ingest.md). */
public final class SpendTable {
  private SpendTable() {}

  public static final String DATE = "date";
  public static final String CHANNEL = "channel";
  public static final String CAMPAIGN = "campaign";
  public static final String AMOUNT = "amount";
  public static final String CURRENCY = "currency";

  /** The composite key a later row replaces a stored one by. */
  public static final List<String> KEY = List.of(DATE, CHANNEL, CAMPAIGN);

  /** The campaign of a row that names none, as attribution names a touch without `utm_campaign`. */
  public static final String NO_CAMPAIGN = "(none)";

  public static final TableSchema TABLE = new TableSchema("spend", struct(
      date(DATE), str(CHANNEL), str(CAMPAIGN), money(AMOUNT), str(CURRENCY),
      str("source_file"), str("run_id"), ts("ingested_at")));
}
