package dev.chatbotroi.attribution;

import static dev.chatbotroi.attribution.MarkovChain.CONVERSION;
import static dev.chatbotroi.attribution.MarkovChain.NULL;
import static dev.chatbotroi.attribution.MarkovChain.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Markov removal-effect model on hand-solved chains, malformed input, map orders and random chains. */
class MarkovChainTest {

  static final double EPS = 1e-12;

  /** Journeys written "A > B +" (converting) or "A -" (not), each of weight 1. */
  static Map<String, Map<String, Long>> counts(String... journeys) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (String j : journeys) {
      List<String> path = MarkovChain.collapse(List.of(j.substring(0, j.length() - 1).trim().split(" > ")));
      MarkovChain.addPath(counts, path, j.endsWith("+"), 1);
    }
    return counts;
  }

  static MarkovChain chain(String... journeys) {
    return MarkovChain.of(counts(journeys));
  }

  @Test
  void threeStatesByHand() {
    // (start): A 3, B 1, C 1 of 5.  A: B 1, (null) 1, C 1 of 3.  B: (conversion) 2.  C: (conversion) 1, (null) 1.
    // x_B = 1, x_C = 1/2, x_A = 1/3 · 1 + 1/3 · 1/2 = 1/2; p = 3/5 · 1/2 + 1/5 · 1 + 1/5 · 1/2 = 0.6.
    // without A: p = 1/5 + 1/10 = 0.3, RE(A) = 1 − 0.3/0.6 = 1/2.
    // without B: x_A = 1/6, p = 3/5 · 1/6 + 1/5 · 1/2 = 0.2, RE(B) = 1 − 0.2/0.6 = 2/3.
    // without C: x_A = 1/3, p = 3/5 · 1/3 + 1/5 = 0.4, RE(C) = 1 − 0.4/0.6 = 1/3.
    // "A > B" converting: Σ RE = 1/2 + 2/3 = 7/6, shares A 3/7, B 4/7.
    MarkovChain m = chain("A > B +", "A -", "B +", "A > C -", "C +");
    assertEquals(0.6, m.conversionProbability(), EPS);
    assertEquals(0.3, m.conversionProbabilityWithout("A"), EPS);
    assertEquals(0.2, m.conversionProbabilityWithout("B"), EPS);
    assertEquals(0.4, m.conversionProbabilityWithout("C"), EPS);
    SortedMap<String, Double> re = m.removalEffects();
    assertEquals(List.of("A", "B", "C"), new ArrayList<>(re.keySet()));
    assertEquals(1d / 2, re.get("A"), EPS);
    assertEquals(2d / 3, re.get("B"), EPS);
    assertEquals(1d / 3, re.get("C"), EPS);
    SortedMap<String, Double> shares = MarkovChain.pathShares(List.of("A", "B"), re);
    assertEquals(3d / 7, shares.get("A"), EPS);
    assertEquals(4d / 7, shares.get("B"), EPS);
    assertEquals(Map.of("C", 1d), MarkovChain.pathShares(List.of("C"), re));
  }

  @Test
  void repeatedStatesAreCollapsedOnlyInRuns() {
    assertEquals(List.of("A", "B"), MarkovChain.collapse(List.of("A", "A", "B")));
    assertEquals(List.of("A", "B", "A"), MarkovChain.collapse(List.of("A", "B", "A")));
    assertEquals(List.of("A", "B", "A"), MarkovChain.collapse(List.of("A", "A", "B", "B", "A", "A")));
    assertEquals(List.of("bot:web", "marketing:email"),
        MarkovChain.collapse(List.of("bot:web", "bot:web", "marketing:email")));
    assertEquals(List.of(), MarkovChain.collapse(List.of()));

    // A > B > A > B converting: A → B occurs twice and counts 2; weight 3 multiplies every transition
    Map<String, Map<String, Long>> c = new TreeMap<>();
    MarkovChain.addPath(c, List.of("A", "B", "A", "B"), true, 1);
    MarkovChain.addPath(c, List.of("B"), false, 3);
    assertEquals(Map.of(START, Map.of("A", 1L, "B", 3L), "A", Map.of("B", 2L),
        "B", Map.of("A", 1L, CONVERSION, 1L, NULL, 3L)), c);

    // A > B > A converting, alone: A → B 1/2, A → (conversion) 1/2, B → A 1.
    // x_A = 1/2 x_B + 1/2, x_B = x_A, so x_A = 1 = p.  Without A: 0, RE(A) = 1.
    // Without B: x_A = 1/2, RE(B) = 1/2.  Shares: A 1/(3/2) = 2/3, B 1/3 (the caller splits A's 2/3
    // evenly over its two touches, 1/3 each).
    MarkovChain m = chain("A > B > A +");
    assertEquals(1, m.conversionProbability(), EPS);
    assertEquals(1, m.removalEffects().get("A"), EPS);
    assertEquals(0.5, m.removalEffects().get("B"), EPS);
    SortedMap<String, Double> shares = MarkovChain.pathShares(List.of("A", "B", "A"), m.removalEffects());
    assertEquals(2d / 3, shares.get("A"), EPS);
    assertEquals(1d / 3, shares.get("B"), EPS);
  }

  @Test
  void aPersonWithoutAWonDealOnlyShiftsRemovalEffects() {
    // "A > B +", "B +": (start) A 1, B 1; A → B 1; B → (conversion) 2.  p = 1.
    // without A: p = 1/2, RE(A) = 1/2.  Without B: p = 0, RE(B) = 1.  "A > B" shares: 1/3, 2/3.
    MarkovChain before = chain("A > B +", "B +");
    assertEquals(1, before.conversionProbability(), EPS);
    assertEquals(0.5, before.removalEffects().get("A"), EPS);
    assertEquals(1, before.removalEffects().get("B"), EPS);
    assertEquals(1d / 3, MarkovChain.pathShares(List.of("A", "B"), before.removalEffects()).get("A"), EPS);

    // plus "B -": (start) A 1, B 2 of 3; B → (conversion) 2, (null) 1 of 3.
    // x_B = 2/3, x_A = x_B = 2/3, p = 1/3 · 2/3 + 2/3 · 2/3 = 2/3.
    // without A: p = 2/3 · 2/3 = 4/9, RE(A) = 1 − (4/9)/(2/3) = 1/3.  Without B: 0, RE(B) = 1.
    // "A > B" shares: (1/3)/(4/3) = 1/4 and 3/4.
    MarkovChain after = chain("A > B +", "B +", "B -");
    assertEquals(2d / 3, after.conversionProbability(), EPS);
    assertEquals(4d / 9, after.conversionProbabilityWithout("A"), EPS);
    assertEquals(1d / 3, after.removalEffects().get("A"), EPS);
    assertEquals(1, after.removalEffects().get("B"), EPS);
    SortedMap<String, Double> shares = MarkovChain.pathShares(List.of("A", "B"), after.removalEffects());
    assertEquals(0.25, shares.get("A"), EPS);
    assertEquals(0.75, shares.get("B"), EPS);
  }

  @Test
  void aCycleIsSolvedAsALinearSystem() {
    // "A > B > A +", "B > A -", "A > B -", "B +", "A +":
    // (start): A 3, B 2 of 5.  A: B 2, (conversion) 2, (null) 1 of 5.  B: A 2, (conversion) 1, (null) 1 of 4.
    //   x_A = 2/5 x_B + 2/5
    //   x_B = 1/2 x_A + 1/4
    // so x_A = 1/5 x_A + 1/10 + 2/5, x_A = 5/8, x_B = 5/16 + 4/16 = 9/16.
    // p = 3/5 · 5/8 + 2/5 · 9/16 = 15/40 + 9/40 = 3/5.
    // without A: x_B = 1/4, p = 2/5 · 1/4 = 1/10, RE(A) = 1 − (1/10)/(3/5) = 5/6.
    // without B: x_A = 2/5, p = 3/5 · 2/5 = 6/25, RE(B) = 1 − (6/25)/(3/5) = 3/5.
    // "A > B > A": shares (5/6)/(43/30) = 25/43 and (3/5)/(43/30) = 18/43.
    MarkovChain m = chain("A > B > A +", "B > A -", "A > B -", "B +", "A +");
    assertEquals(0.6, m.conversionProbability(), EPS);
    assertEquals(0.1, m.conversionProbabilityWithout("A"), EPS);
    assertEquals(6d / 25, m.conversionProbabilityWithout("B"), EPS);
    assertEquals(5d / 6, m.removalEffects().get("A"), EPS);
    assertEquals(3d / 5, m.removalEffects().get("B"), EPS);
    SortedMap<String, Double> shares = MarkovChain.pathShares(List.of("A", "B", "A"), m.removalEffects());
    assertEquals(25d / 43, shares.get("A"), EPS);
    assertEquals(18d / 43, shares.get("B"), EPS);

    // the elimination itself needs its pivot: a[0][0] = 0
    double[] x = MarkovChain.solve(new double[][] {{0, 1, 2}, {1, 0, 3}}); // y = 2, x = 3
    assertEquals(3, x[0], 0);
    assertEquals(2, x[1], 0);
  }

  @Test
  void statesThatCannotConvertAreWorthZero() {
    // hand-built counts: A ⇄ B with no way out, D only a target (so it goes to (null)), C converts.
    // p = P(start → C) = 1/4; removing A, B or D changes nothing (RE 0); removing C: p = 0, RE 1.
    Map<String, Map<String, Long>> c = new TreeMap<>();
    c.put(START, Map.of("A", 1L, "C", 1L, "D", 2L));
    c.put("A", Map.of("B", 1L));
    c.put("B", Map.of("A", 1L));
    c.put("C", Map.of(CONVERSION, 1L));
    MarkovChain m = MarkovChain.of(c);
    assertEquals(0.25, m.conversionProbability(), EPS);
    assertEquals(Map.of("A", 0d, "B", 0d, "C", 1d, "D", 0d), m.removalEffects());
    assertEquals(0.25, m.conversionProbabilityWithout("unknown"), 0);
    // Σ RE = 0 over a path: the caller falls back to linear
    assertNull(MarkovChain.pathShares(List.of("A", "B"), m.removalEffects()));
    assertNull(MarkovChain.pathShares(List.of("D"), m.removalEffects()));
  }

  @Test
  void nothingConvertsMeansNoRemovalEffects() {
    MarkovChain m = chain("A -", "A > B -");
    assertFalse(m.converts());
    assertEquals(0, m.conversionProbability(), 0);
    assertThrows(IllegalStateException.class, m::removalEffects);
    assertFalse(MarkovChain.of(Map.of()).converts());
  }

  @Test
  void rejectsMalformedInput() {
    Map<String, Map<String, Long>> c = new HashMap<>();
    assertThrows(IllegalArgumentException.class, () -> MarkovChain.addPath(c, List.of(), true, 1));
    assertThrows(IllegalArgumentException.class, () -> MarkovChain.addPath(c, List.of("A", "A"), true, 1));
    assertThrows(IllegalArgumentException.class, () -> MarkovChain.addPath(c, List.of(NULL), true, 1));
    assertThrows(IllegalArgumentException.class, () -> MarkovChain.addPath(c, List.of("A"), true, -1));
    assertTrue(c.isEmpty());
    assertThrows(IllegalArgumentException.class, () -> MarkovChain.of(Map.of(CONVERSION, Map.of("A", 1L))));
    assertThrows(IllegalArgumentException.class, () -> MarkovChain.of(Map.of(START, Map.of("A", -1L))));
    assertThrows(IllegalArgumentException.class, () -> chain("A +").conversionProbabilityWithout(START));
    assertThrows(IllegalArgumentException.class,
        () -> MarkovChain.pathShares(List.of("Z"), chain("A +").removalEffects()));
  }

  @Test
  void mapOrderDoesNotChangeABit() {
    String[] journeys = {"bot:web > marketing:email +", "marketing:email > bot:web > marketing:email -",
        "bot:whatsapp +", "marketing:paid_search > bot:web +", "bot:web > marketing:paid_search -",
        "marketing:email > bot:whatsapp > bot:web +"};
    Map<String, Map<String, Long>> sorted = counts(journeys);
    List<String> reversed = new ArrayList<>(List.of(journeys));
    Collections.reverse(reversed);
    Map<String, Map<String, Long>> reinserted = new LinkedHashMap<>();
    List<String> sources = new ArrayList<>(sorted.keySet());
    Collections.reverse(sources);
    for (String from : sources) {
      List<Map.Entry<String, Long>> targets = new ArrayList<>(sorted.get(from).entrySet());
      Collections.reverse(targets);
      Map<String, Long> out = new LinkedHashMap<>();
      targets.forEach(e -> out.put(e.getKey(), e.getValue()));
      reinserted.put(from, out);
    }
    MarkovChain a = MarkovChain.of(sorted);
    MarkovChain b = MarkovChain.of(reinserted);
    MarkovChain c = MarkovChain.of(counts(reversed.toArray(String[]::new)));
    for (MarkovChain other : List.of(b, c)) {
      assertEquals(Double.doubleToLongBits(a.conversionProbability()),
          Double.doubleToLongBits(other.conversionProbability()));
      assertEquals(new ArrayList<>(a.removalEffects().keySet()), new ArrayList<>(other.removalEffects().keySet()));
      a.removalEffects().forEach((s, re) -> assertEquals(Double.doubleToLongBits(re),
          Double.doubleToLongBits(other.removalEffects().get(s)), s));
      List<String> path = List.of("marketing:email", "bot:whatsapp", "bot:web");
      MarkovChain.pathShares(path, a.removalEffects()).forEach((s, v) -> assertEquals(Double.doubleToLongBits(v),
          Double.doubleToLongBits(MarkovChain.pathShares(path, other.removalEffects()).get(s)), s));
    }
  }

  @Test
  void randomChainsGiveSharesThatSumToOne() {
    Random rnd = new Random(20260430);
    String[] names = {"bot:web", "bot:whatsapp", "marketing:email", "marketing:paid_search", "marketing:social"};
    int checkedPaths = 0;
    for (int round = 0; round < 200; round++) {
      Map<String, Map<String, Long>> c = new HashMap<>();
      List<List<String>> converting = new ArrayList<>();
      long journeys = 0;
      long conversions = 0;
      for (int j = 0, k = 1 + rnd.nextInt(12); j < k; j++) {
        List<String> touches = new ArrayList<>();
        for (int t = 0, len = 1 + rnd.nextInt(6); t < len; t++) {
          touches.add(names[rnd.nextInt(1 + rnd.nextInt(names.length))]);
        }
        List<String> path = MarkovChain.collapse(touches);
        boolean converted = rnd.nextInt(3) == 0;
        long weight = 1 + rnd.nextInt(3);
        MarkovChain.addPath(c, path, converted, weight);
        journeys += weight;
        if (converted) {
          conversions += weight;
          converting.add(path);
        }
      }
      MarkovChain m = MarkovChain.of(c);
      // each state's visits in and out balance, so the fitted chain's p is the window's conversion rate
      assertEquals((double) conversions / journeys, m.conversionProbability(), EPS, "round " + round);
      if (!m.converts()) {
        assertThrows(IllegalStateException.class, m::removalEffects);
        continue;
      }
      SortedMap<String, Double> re = m.removalEffects();
      re.forEach((s, v) -> assertTrue(v >= 0 && v <= 1, s + " = " + v));
      for (List<String> path : converting) {
        SortedMap<String, Double> shares = MarkovChain.pathShares(path, re);
        if (shares != null) {
          checkedPaths++;
          assertEquals(1, shares.values().stream().mapToDouble(Double::doubleValue).sum(), EPS);
          shares.values().forEach(v -> assertTrue(v >= 0 && v <= 1));
        }
      }
    }
    assertTrue(checkedPaths > 100, "only " + checkedPaths + " paths checked");
  }
}
