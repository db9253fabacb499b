package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `quarantine`: one row per rejected input line or row, with its reason and raw text. */
public final class QuarantineTable {
  private QuarantineTable() {}

  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";
  public static final String RAW = "raw";
  public static final String RUN_ID = "run_id";
  public static final String INGESTED_AT = "ingested_at";

  /** Reason for a whole file that could not be read (e.g. a truncated .gz); not a line count. */
  public static final String UNREADABLE_FILE = "unreadable_file";

  public static final TableSchema TABLE = new TableSchema("quarantine", struct(
      str(SOURCE), str(SOURCE_FILE), str(REASON), str(DETAIL), str(RAW), str(RUN_ID),
      ts(INGESTED_AT)))
      .exported(List.of(), null, PeriodKind.NONE, List.of(List.of("ingested_at"), List.of("reason")));
}
