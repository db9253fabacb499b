package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The `markov` and `shapley` models fitted per window (docs/attribution.md#markov-and-shapley). The
 * journeys are aggregated by Spark to one row per (window, path, converting); only those counts come
 * to the driver, where the chain is solved and the Shapley values computed. Grain of {@link Fit#shares}:
 * one row per window, converting state set and state; of {@link Fit#effects}: one per window and state.
 */
public final class LearnedShares {
  private LearnedShares() {}

  static final String MARKOV_W = "_markov_w";
  static final String SHAPLEY_W = "_shapley_w";
  /** A credit below this is floating-point noise where the exact value is 0. */
  static final double EPSILON = 1e-12;

  static final StructType SHARES = new StructType().add("window_days", "int").add("states", "array<string>")
      .add(Journeys.STATE, "string").add("markov_share", "double").add("shapley_share", "double");
  static final StructType EFFECTS = new StructType().add("window_days", "int").add(Journeys.STATE, "string")
      .add("removal_effect", "double").add("markov_share", "double");

  /**
   * {@code shares}: each state's share of a converting journey with exactly these distinct states
   * (null: that model falls back to linear for it); {@code effects}: each state's removal effect and
   * its share of the window's Σ RE (null without a conversion, the share also when Σ RE is 0).
   */
  public record Fit(Dataset<Row> shares, Dataset<Row> effects) {}

  /** Per window: the path counts of its journeys (one small collect), the chain, the rates, the shares. */
  public static Fit fit(Dataset<Row> journeys, Settings settings) {
    int maxStates = settings.attribution().shapleyMaxStates();
    Map<Integer, List<Row>> byWindow = new TreeMap<>();
    for (Row r : journeys.groupBy("window_days", "path_states", "converting").count().collectAsList()) {
      byWindow.computeIfAbsent(r.getInt(0), w -> new ArrayList<>()).add(r);
    }
    List<Row> shares = new ArrayList<>();
    List<Row> effects = new ArrayList<>();
    for (var e : byWindow.entrySet()) {
      window(e.getKey(), e.getValue(), maxStates, shares, effects);
    }
    var spark = journeys.sparkSession();
    return new Fit(spark.createDataFrame(shares, SHARES), spark.createDataFrame(effects, EFFECTS));
  }

  private static void window(int w, List<Row> paths, int maxStates, List<Row> shares, List<Row> effects) {
    Map<String, Map<String, Long>> transitions = new TreeMap<>();
    Map<Set<String>, long[]> rates = new HashMap<>(); // state set → {conversions, journeys}
    SortedSet<String> seen = new TreeSet<>();
    for (Row r : paths) {
      List<String> path = r.getList(1);
      boolean converted = r.getBoolean(2);
      long n = r.getLong(3);
      MarkovChain.addPath(transitions, path, converted, n);
      long[] rate = rates.computeIfAbsent(new TreeSet<>(path), k -> new long[2]);
      rate[0] += converted ? n : 0;
      rate[1] += n;
      seen.addAll(path);
    }
    MarkovChain chain = MarkovChain.of(transitions);
    SortedMap<String, Double> re = chain.converts() ? chain.removalEffects() : null;
    double sumRe = re == null ? 0 : re.values().stream().mapToDouble(Double::doubleValue).sum();
    for (String s : seen) {
      Double effect = re == null ? null : re.get(s);
      Double share = null;
      if (effect != null && sumRe > 0) {
        double v = effect / sumRe;
        share = v < EPSILON ? 0.0 : v;
      }
      effects.add(RowFactory.create(w, s, effect, share));
    }
    for (var e : new TreeMap<>(byName(rates)).entrySet()) {
      SortedSet<String> set = e.getValue();
      if (rates.get(set)[0] == 0) {
        continue; // shares are needed for converting journeys only
      }
      Map<String, Double> markov = re == null ? null : MarkovChain.pathShares(List.copyOf(set), re);
      Map<String, Double> shapley = ShapleyValues.shares(set, s -> rate(rates, s), maxStates);
      List<String> states = List.copyOf(set);
      for (String s : set) {
        shares.add(RowFactory.create(w, states, s, markov == null ? null : markov.get(s),
            shapley == null ? null : shapley.get(s)));
      }
    }
  }

  private static double rate(Map<Set<String>, long[]> rates, Set<String> s) {
    long[] r = rates.get(s);
    return r == null ? 0 : (double) r[0] / r[1];
  }

  /** The state sets keyed by their joined names, so rows come out in one order on every run. */
  private static Map<String, SortedSet<String>> byName(Map<Set<String>, long[]> rates) {
    Map<String, SortedSet<String>> out = new TreeMap<>();
    for (Set<String> s : rates.keySet()) {
      out.put(String.join("\u0000", s), (SortedSet<String>) s);
    }
    return out;
  }

  /**
   * Adds the learned models' weights to ranked (deal, window, touch) rows: the state's share over the
   * touches of the deal in that state, or 1 for every touch (linear) when the model fell back.
   */
  static Dataset<Row> weights(Dataset<Row> ranked, Dataset<Row> shares) {
    Dataset<Row> withSet = ranked
        .withColumn("_states", array_sort(collect_set(col(Journeys.STATE)).over(
            Window.partitionBy("deal_id", "window_days"))))
        .withColumn("_n_state", count(lit(1)).over(Window.partitionBy("deal_id", "window_days", Journeys.STATE)));
    Dataset<Row> s = broadcast(shares.select(col("window_days").as("_sw"), col("states").as("_ss"),
        col(Journeys.STATE).as("_st"), col("markov_share").as("_ms"), col("shapley_share").as("_hs")));
    return withSet.join(s, col("window_days").equalTo(col("_sw")).and(col("_states").equalTo(col("_ss")))
            .and(col(Journeys.STATE).equalTo(col("_st"))), "left")
        .withColumn(MARKOV_W, weight(col("_ms")))
        .withColumn(SHAPLEY_W, weight(col("_hs")))
        .drop("_states", "_n_state", "_sw", "_ss", "_st", "_ms", "_hs");
  }

  private static Column weight(Column share) {
    Column w = share.divide(col("_n_state").cast(DataTypes.DoubleType));
    return when(share.isNull(), lit(1d)).when(w.lt(EPSILON), lit(0d)).otherwise(w);
  }
}
