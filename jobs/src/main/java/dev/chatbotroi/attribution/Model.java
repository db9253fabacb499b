package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Settings;
import org.apache.spark.sql.Column;

/**
 * The attribution models (docs/attribution.md). Each gives a touch's weight from its position {@code i}
 * (1-based, by touch time then id), the number of touches {@code n} in the window, and its age in
 * days, or for a learned model from the shares fitted on the journeys; weights are then normalised
 * per deal and window. Adding a model is one new constant.
 */
public enum Model {
  FIRST_TOUCH {
    @Override
    Column weight(Column i, Column n, Column ageDays, Settings.Attribution s) {
      return when(i.equalTo(1), lit(1d)).otherwise(lit(0d));
    }
  },
  LAST_TOUCH {
    @Override
    Column weight(Column i, Column n, Column ageDays, Settings.Attribution s) {
      return when(i.equalTo(n), lit(1d)).otherwise(lit(0d));
    }
  },
  LINEAR {
    @Override
    Column weight(Column i, Column n, Column ageDays, Settings.Attribution s) {
      return lit(1d);
    }
  },
  POSITION_BASED {
    @Override
    Column weight(Column i, Column n, Column ageDays, Settings.Attribution s) {
      double middle = 1d - s.positionFirst() - s.positionLast();
      return when(n.equalTo(1), lit(1d))
          .when(n.equalTo(2), lit(0.5d))
          .when(i.equalTo(1), lit(s.positionFirst()))
          .when(i.equalTo(n), lit(s.positionLast()))
          .otherwise(lit(middle).divide(n.minus(2)));
    }
  },
  TIME_DECAY {
    @Override
    Column weight(Column i, Column n, Column ageDays, Settings.Attribution s) {
      return org.apache.spark.sql.functions.pow(lit(2d), ageDays.divide(-s.halfLifeDays()));
    }
  },
  /** Learned: the state's removal-effect share over the deal's touches in that state (LearnedShares). */
  MARKOV(LearnedShares.MARKOV_W),
  /** Learned: the state's Shapley share over the deal's touches in that state (LearnedShares). */
  SHAPLEY(LearnedShares.SHAPLEY_W);

  /** The column a learned model's weight is in, null for a heuristic model. */
  private final String learnedWeight;

  Model() {
    this(null);
  }

  Model(String learnedWeight) {
    this.learnedWeight = learnedWeight;
  }

  /** The unnormalised weight of a touch: a heuristic model overrides this, a learned one reads its column. */
  Column weight(Column i, Column n, Column ageDays, Settings.Attribution s) {
    return col(learnedWeight);
  }

  /** Whether the weights come from journeys fitted first ({@link LearnedShares}) rather than from position. */
  boolean learned() {
    return learnedWeight != null;
  }

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Model of(String id) {
    return valueOf(id.toUpperCase(java.util.Locale.ROOT));
  }
}
