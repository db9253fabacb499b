package dev.chatbotroi.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Shapley values and shares on hand-computed rate tables, their fallbacks, and the efficiency property. */
class ShapleyValuesTest {

  static final double EPS = 1e-12;

  static SortedSet<String> set(String... states) {
    return new TreeSet<>(List.of(states));
  }

  /** r(S) from a table keyed by the states of S concatenated in order ("" for ∅); missing sets are 0. */
  static ToDoubleFunction<Set<String>> table(Map<String, Double> rates) {
    return s -> rates.getOrDefault(String.join("", s), 0d);
  }

  @Test
  void twoStatesFromJourneys() {
    // journeys with exactly {A}: 5, 1 converts; exactly {B}: 5, 2 convert; exactly {A, B}: 5, 4 convert;
    // {A, B, C}: 2, both convert — a different set, so it does not count for r({A, B}).
    //   S       ∅    {A}   {B}   {A,B}
    //   r(S)    0    0.2   0.4   0.8
    // φ(A) = 1/2 (r(A) − r(∅)) + 1/2 (r(AB) − r(B)) = 0.1 + 0.2 = 0.3
    // φ(B) = 1/2 (r(B) − r(∅)) + 1/2 (r(AB) − r(A)) = 0.2 + 0.3 = 0.5;  Σ φ = 0.8 = r(AB), shares 3/8, 5/8.
    Map<Set<String>, long[]> journeys = new HashMap<>(); // exact set → {journeys, conversions}
    journeys.put(set("A"), new long[] {5, 1});
    journeys.put(set("B"), new long[] {5, 2});
    journeys.put(set("A", "B"), new long[] {5, 4});
    journeys.put(set("A", "B", "C"), new long[] {2, 2});
    ToDoubleFunction<Set<String>> r = s -> {
      long[] jc = journeys.get(s);
      return jc == null ? 0 : (double) jc[1] / jc[0];
    };
    SortedMap<String, Double> phi = ShapleyValues.values(set("A", "B"), r, 12);
    assertEquals(0.3, phi.get("A"), EPS);
    assertEquals(0.5, phi.get("B"), EPS);
    SortedMap<String, Double> shares = ShapleyValues.shares(set("A", "B"), r, 12);
    assertEquals(3d / 8, shares.get("A"), EPS);
    assertEquals(5d / 8, shares.get("B"), EPS);
  }

  @Test
  void threeStatesByHand() {
    //   S       ∅   A    B    C   AB   AC   BC   ABC
    //   r(S)    0   0.1  0.2  0   0.5  0.3  0.3  0.6
    // weights for n = 3: |S| = 0: 0!2!/3! = 1/3, |S| = 1: 1!1!/3! = 1/6, |S| = 2: 2!0!/3! = 1/3.
    // φ(A) = 1/3 · 0.1 + 1/6 (0.5 − 0.2) + 1/6 (0.3 − 0) + 1/3 (0.6 − 0.3) = (2 + 3 + 3 + 6)/60 = 14/60
    // φ(B) = 1/3 · 0.2 + 1/6 (0.5 − 0.1) + 1/6 (0.3 − 0) + 1/3 (0.6 − 0.3) = (4 + 4 + 3 + 6)/60 = 17/60
    // φ(C) = 1/3 · 0   + 1/6 (0.3 − 0.1) + 1/6 (0.3 − 0.2) + 1/3 (0.6 − 0.5) = (0 + 2 + 1 + 2)/60 = 5/60
    // Σ φ = 36/60 = 0.6 = r(ABC); shares 14/36, 17/36, 5/36.
    ToDoubleFunction<Set<String>> r = table(Map.of("A", 0.1, "B", 0.2, "C", 0d, "AB", 0.5, "AC", 0.3, "BC", 0.3,
        "ABC", 0.6));
    SortedMap<String, Double> phi = ShapleyValues.values(set("A", "B", "C"), r, 12);
    assertEquals(List.of("A", "B", "C"), new ArrayList<>(phi.keySet()));
    assertEquals(14d / 60, phi.get("A"), EPS);
    assertEquals(17d / 60, phi.get("B"), EPS);
    assertEquals(5d / 60, phi.get("C"), EPS);
    SortedMap<String, Double> shares = ShapleyValues.shares(set("A", "B", "C"), r, 12);
    assertEquals(14d / 36, shares.get("A"), EPS);
    assertEquals(17d / 36, shares.get("B"), EPS);
    assertEquals(5d / 36, shares.get("C"), EPS);
  }

  @Test
  void aNegativeValueBecomesZero() {
    // r: A 0.5, B 0, AB 0.1.
    // φ(A) = 1/2 · 0.5 + 1/2 (0.1 − 0) = 0.3;  φ(B) = 1/2 · 0 + 1/2 (0.1 − 0.5) = −0.2 → 0.
    // shares: A 0.3/0.3 = 1, B 0.
    ToDoubleFunction<Set<String>> r = table(Map.of("A", 0.5, "B", 0d, "AB", 0.1));
    SortedMap<String, Double> phi = ShapleyValues.values(set("A", "B"), r, 12);
    assertEquals(0.3, phi.get("A"), EPS);
    assertEquals(0, phi.get("B"), 0);
    assertEquals(Map.of("A", 1d, "B", 0d), ShapleyValues.shares(set("A", "B"), r, 12));
  }

  @Test
  void theEmptySetIsWorthZeroWhateverRSays() {
    // r ≡ 1, even on ∅: φ(A) = r(A) − r(∅) = 1 − 0 = 1 (with r(∅) = 1 it would be 0 and fall back)
    assertEquals(Map.of("A", 1d), ShapleyValues.values(set("A"), s -> 1, 12));
    assertEquals(Map.of("A", 1d), ShapleyValues.shares(set("A"), s -> 1, 12));
  }

  @Test
  void fallbacksAreNull() {
    // Σ φ = 0: no set of these states ever converts
    assertNull(ShapleyValues.shares(set("A", "B"), s -> 0, 12));
    // only noise: every φ is below 1e-12, so 0
    assertNull(ShapleyValues.shares(set("A", "B"), s -> 1e-13, 12));
    // more states than allowed
    ToDoubleFunction<Set<String>> r = s -> s.size() / 3d;
    assertNull(ShapleyValues.shares(set("A", "B", "C"), r, 2));
    assertNull(ShapleyValues.values(set("A", "B", "C"), r, 2));
    assertNotNull(ShapleyValues.shares(set("A", "B", "C"), r, 3));
    assertNull(ShapleyValues.shares(set(), r, 12));
    assertThrows(IllegalArgumentException.class, () -> ShapleyValues.values(set("A"), r, 21));
  }

  @Test
  void eachNonEmptySubsetIsAskedOnce() {
    List<Set<String>> asked = new ArrayList<>();
    ShapleyValues.values(set("A", "B", "C", "D"), s -> {
      asked.add(s);
      return s.size();
    }, 12);
    assertEquals(15, asked.size());
    assertEquals(15, new HashSet<>(asked).size());
    assertFalse(asked.contains(Set.of()));
    assertThrows(UnsupportedOperationException.class, () -> asked.get(0).add("Z"));
  }

  @Test
  void weightsAreExactRatios() {
    assertEquals(1, ShapleyValues.binomial(0, 0));
    assertEquals(10, ShapleyValues.binomial(5, 2));
    assertEquals(92378, ShapleyValues.binomial(19, 9));
    assertEquals(1, ShapleyValues.binomial(19, 19));
  }

  @Test
  void theSetsComparatorDoesNotChangeABit() {
    ToDoubleFunction<Set<String>> r = table(Map.of("A", 0.1, "B", 0.2, "C", 0.05, "AB", 0.5, "AC", 0.3,
        "BC", 0.3, "ABC", 0.7));
    SortedSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of("A", "B", "C"));
    SortedMap<String, Double> a = ShapleyValues.shares(set("A", "B", "C"), r, 12);
    SortedMap<String, Double> b = ShapleyValues.shares(reversed, r, 12);
    assertEquals(new ArrayList<>(a.keySet()), new ArrayList<>(b.keySet()));
    a.forEach((s, v) -> assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(b.get(s)), s));
  }

  @Test
  void valuesAddUpToTheRateOfTheWholeSet() {
    // efficiency: Σ φ = r(T) − r(∅) when no value is clamped; a non-decreasing r keeps every marginal ≥ 0
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = 1 + rnd.nextInt(8);
      SortedSet<String> states = new TreeSet<>();
      Map<String, Double> gain = new HashMap<>();
      for (int i = 0; i < n; i++) {
        String s = "s" + i;
        states.add(s);
        gain.put(s, rnd.nextDouble() / n);
      }
      double two = rnd.nextDouble() * 0.1;
      double[] bonus = {0, 0, two, two + rnd.nextDouble() * 0.05, 0.2, 0.2, 0.2, 0.2, 0.2};
      ToDoubleFunction<Set<String>> r = s -> s.stream().mapToDouble(gain::get).sum() * 0.5 + bonus[s.size()];
      double sum = ShapleyValues.values(states, r, 12).values().stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(r.applyAsDouble(states), sum, EPS, "round " + round);
      SortedMap<String, Double> shares = ShapleyValues.shares(states, r, 12);
      assertEquals(1, shares.values().stream().mapToDouble(Double::doubleValue).sum(), EPS);
      shares.values().forEach(v -> assertTrue(v >= 0));
    }
  }
}
