package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `attribution_states`: one row per window and state seen in a journey (docs/attribution.md#attribution_states). */
public final class AttributionStatesTable {
  private AttributionStatesTable() {}

  public static final String STATE = "state";
  public static final String JOURNEYS = "journeys";
  public static final String CONVERTING_JOURNEYS = "converting_journeys";
  public static final String REMOVAL_EFFECT = "removal_effect";
  public static final String MARKOV_SHARE = "markov_share";
  public static final String SHAPLEY_SHARE = "shapley_share";

  public static final TableSchema TABLE = new TableSchema("attribution_states", struct(
      integer("window_days"), str(STATE), str("touch_type"), str("channel"), lng(JOURNEYS), lng(CONVERTING_JOURNEYS),
      dbl(REMOVAL_EFFECT), dbl(MARKOV_SHARE), dbl(SHAPLEY_SHARE)))
      .exported(List.of("window_days", STATE), null, PeriodKind.NONE, List.of(List.of("window_days")));
}
