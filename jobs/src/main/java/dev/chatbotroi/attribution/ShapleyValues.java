package dev.chatbotroi.attribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** Shapley values of one converting journey's states, from the window's conversion rates (docs/attribution.md). */
public final class ShapleyValues {
  /** Values, and shares, below this are floating-point noise where the exact value is 0. */
  static final double EPSILON = 1e-12;
  /** 2^20 subsets per journey is already far past useful; the weights stay exact well beyond it. */
  static final int MAX_SUPPORTED_STATES = 20;

  private ShapleyValues() {}

  /**
   * The normalised shares φ(s) / Σ φ of each state of T, or null when Σ φ = 0 or |T| > maxStates
   * (the caller falls back to linear). Shares below 1e-12 are 0.
   */
  public static SortedMap<String, Double> shares(SortedSet<String> states, ToDoubleFunction<Set<String>> r,
      int maxStates) {
    SortedMap<String, Double> phi = values(states, r, maxStates);
    if (phi == null) {
      return null;
    }
    double sum = 0;
    for (double v : phi.values()) {
      sum += v;
    }
    if (!(sum > 0)) {
      return null;
    }
    SortedMap<String, Double> out = new TreeMap<>();
    for (var e : phi.entrySet()) {
      double share = e.getValue() / sum;
      out.put(e.getKey(), share < EPSILON ? 0.0 : share);
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /**
   * φ(s) = Σ over S ⊆ T∖{s} of |S|! (n − |S| − 1)! / n! × (r(S ∪ {s}) − r(S)) for each state of T,
   * with negative values and values below 1e-12 as 0; null when |T| > maxStates. {@code r} gets each
   * non-empty subset once, as a sorted unmodifiable set; r(∅) is 0 whatever {@code r} would say.
   */
  public static SortedMap<String, Double> values(SortedSet<String> states, ToDoubleFunction<Set<String>> r,
      int maxStates) {
    if (maxStates < 0 || maxStates > MAX_SUPPORTED_STATES) {
      throw new IllegalArgumentException("maxStates must be in [0, " + MAX_SUPPORTED_STATES + "]: " + maxStates);
    }
    // natural order whatever the set's comparator: bit i of a mask is the i-th state by name
    List<String> list = new ArrayList<>(new TreeSet<>(states));
    int n = list.size();
    if (n > maxStates) {
      return null;
    }
    double[] rate = new double[1 << n]; // rate[0] = r(∅) = 0
    for (int mask = 1; mask < rate.length; mask++) {
      rate[mask] = r.applyAsDouble(subset(list, mask));
    }
    double[] weight = new double[n];
    for (int k = 0; k < n; k++) {
      // k! (n − k − 1)! / n! = 1 / (n · C(n − 1, k)): one rounding of an exact integer ratio
      weight[k] = 1.0 / (n * binomial(n - 1, k));
    }
    SortedMap<String, Double> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      int bit = 1 << i;
      double phi = 0;
      for (int mask = 0; mask < rate.length; mask++) {
        if ((mask & bit) == 0) {
          phi += weight[Integer.bitCount(mask)] * (rate[mask | bit] - rate[mask]);
        }
      }
      out.put(list.get(i), phi < EPSILON ? 0.0 : phi);
    }
    return Collections.unmodifiableSortedMap(out);
  }

  private static Set<String> subset(List<String> list, int mask) {
    SortedSet<String> s = new TreeSet<>();
    for (int i = 0; i < list.size(); i++) {
      if ((mask & (1 << i)) != 0) {
        s.add(list.get(i));
      }
    }
    return Collections.unmodifiableSortedSet(s);
  }

  /** C(n, k) as an exact integer by a loop product (each partial product is itself a binomial). */
  static long binomial(int n, int k) {
    long c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
    }
    return c;
  }
}
