package dev.chatbotroi.metrics;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;

/** The periodic gold tables beside `metrics` (knowledge gaps, funnel, scoreboard, diagnostics). */
public final class GoldJob {
  private GoldJob() {}

  /** Writes the tables; returns a short summary of what was written. */
  public static String run(Tables tables, Settings settings, Periods.Range range) {
    return "no other gold tables yet";
  }
}
