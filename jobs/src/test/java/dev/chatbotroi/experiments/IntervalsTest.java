package dev.chatbotroi.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.experiments.Intervals.Interval;
import org.junit.jupiter.api.Test;

/** The holdout intervals against numbers worked by hand and Newcombe's published examples; no Spark. */
class IntervalsTest {
  // published figures have four decimals
  private static final double FOUR_DECIMALS = 5e-5;

  @Test
  void wilsonOf81Of263() {
    // p = 81/263 = 0.307985; z²/n = 3.8416/263 = 0.0146068; denominator = 1.0146068
    // center = (0.307985 + 0.0073034) / 1.0146068 = 0.315288 / 1.0146068 = 0.310749
    // half = 1.96 √(0.307985·0.692015/263 + 3.8416/(4·263²)) / 1.0146068
    //      = 1.96 √(0.00081038 + 0.00001388) / 1.0146068 = 1.96 · 0.0287100 / 1.0146068 = 0.0554615
    // → (0.2553, 0.3662)
    Interval w = Intervals.wilson(81, 263);
    assertEquals(0.2553, w.low(), FOUR_DECIMALS);
    assertEquals(0.3662, w.high(), FOUR_DECIMALS);
  }

  @Test
  void wilsonAtTheEdgesStaysInsideZeroToOne() {
    // x = 0: center = half = (z²/2n)/(1 + z²/n), so low = 0 and high = z²/(n + z²) = 3.8416/13.8416
    Interval none = Intervals.wilson(0, 10);
    assertEquals(0.0, none.low());
    assertEquals(3.8416 / 13.8416, none.high(), 1e-12);
    // x = n mirrors it: low = n/(n + z²) = 10/13.8416 = 0.722460, high = 1
    Interval all = Intervals.wilson(10, 10);
    assertEquals(10 / 13.8416, all.low(), 1e-12);
    assertEquals(1.0, all.high());
  }

  @Test
  void newcombeMethodTenAsPublished() {
    // the worked examples of Newcombe (1998), Statistics in Medicine 17:873–890, method 10
    // 56/70 = 0.8: Wilson (0.69183, 0.87695); 48/80 = 0.6: Wilson (0.49045, 0.70038)
    // low = 0.2 − √((0.8 − 0.69183)² + (0.70038 − 0.6)²) = 0.2 − √(0.011701 + 0.010077)
    //     = 0.2 − 0.147571 = 0.0524
    // high = 0.2 + √((0.87695 − 0.8)² + (0.6 − 0.49045)²) = 0.2 + √(0.005922 + 0.012001)
    //      = 0.2 + 0.133875 = 0.3339
    Interval a = Intervals.newcombe(56, 70, 48, 80);
    assertEquals(0.0524, a.low(), FOUR_DECIMALS);
    assertEquals(0.3339, a.high(), FOUR_DECIMALS);
    // 9/10 = 0.9: Wilson (0.59584, 0.98212); 3/10 = 0.3: Wilson (0.10779, 0.60323)
    // low = 0.6 − √(0.30416² + 0.30323²) = 0.6 − 0.42949 = 0.1705
    // high = 0.6 + √(0.08212² + 0.19221²) = 0.6 + 0.20902 = 0.8090
    Interval b = Intervals.newcombe(9, 10, 3, 10);
    assertEquals(0.1705, b.low(), FOUR_DECIMALS);
    assertEquals(0.8090, b.high(), FOUR_DECIMALS);
  }

  @Test
  void newcombeIsAntisymmetricInTheTwoGroups() {
    // swapping variant and control negates the difference, so the interval flips and negates
    Interval ab = Intervals.newcombe(56, 70, 48, 80);
    Interval ba = Intervals.newcombe(48, 80, 56, 70);
    assertEquals(-ab.high(), ba.low(), 1e-15);
    assertEquals(-ab.low(), ba.high(), 1e-15);
  }

  @Test
  void welchOfASmallSample() {
    // variant {0, 0, 100, 200}: n = 4, mean 75, s² = ((−75)² + (−75)² + 25² + 125²)/3 = 27500/3 = 9166.67
    // control {0, 50}: n = 2, mean 25, s² = (25² + 25²)/1 = 1250
    // lift = 50; se = √(9166.67/4 + 1250/2) = √(2291.67 + 625) = √2916.67 = 54.0062
    // half = 1.96 · 54.0062 = 105.8521 → (−55.8521, 155.8521)
    Interval w = Intervals.welch(75, 27500.0 / 3, 4, 25, 1250, 2);
    assertEquals(-55.8521, w.low(), 1e-4);
    assertEquals(155.8521, w.high(), 1e-4);
  }

  @Test
  void welchWithASingleUnitVariant() {
    // variant {300}: n = 1, variance 0 by definition; control {0, 50} as above
    // lift = 275; se = √(0/1 + 1250/2) = √625 = 25; half = 1.96 · 25 = 49 → (226, 324)
    Interval w = Intervals.welch(300, Intervals.sampleVariance(1, 300, 90_000), 1, 25, 1250, 2);
    assertEquals(226.0, w.low(), 1e-9);
    assertEquals(324.0, w.high(), 1e-9);
  }

  @Test
  void sampleVarianceMatchesTwoPass() {
    double[] amounts = {12.5, 0, 0, 99.99, 1_000_000, 3, 0, 250.25};
    assertEquals(twoPass(amounts), Intervals.sampleVariance(amounts.length, sum(amounts), sumOfSquares(amounts)),
        1e-9 * twoPass(amounts));
    // the small sample of the Welch test: 27500/3 and 1250
    assertEquals(27500.0 / 3, Intervals.sampleVariance(4, 300, 50_000), 1e-9);
    assertEquals(1250.0, Intervals.sampleVariance(2, 50, 2500), 1e-12);
  }

  @Test
  void sampleVarianceOfOneOrNoUnitsIsZero() {
    assertEquals(0.0, Intervals.sampleVariance(1, 300, 90_000));
    assertEquals(0.0, Intervals.sampleVariance(0, 0, 0));
  }

  @Test
  void sampleVarianceIsNeverNegative() {
    // three units of 0.1: the one-pass difference is −1.7e-18 in doubles; the true variance is 0
    double[] same = {0.1, 0.1, 0.1};
    assertEquals(0.0, Intervals.sampleVariance(3, sum(same), sumOfSquares(same)));
  }

  @Test
  void shiftedSumsAvoidTheCancellation() {
    // 1e9 + {1, 2, 3, 4}: s² = 5/3, but Σx² ≈ 4e18 where a double's step is 512, so the
    // one-pass formula loses it entirely; the sums of x − 1e9 give it back exactly
    double[] amounts = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4};
    double[] shifted = {1, 2, 3, 4};
    assertNotEquals(5.0 / 3, Intervals.sampleVariance(4, sum(amounts), sumOfSquares(amounts)), 0.1);
    assertEquals(5.0 / 3, Intervals.sampleVariance(4, sum(shifted), sumOfSquares(shifted)), 1e-15);
    assertEquals(twoPass(amounts), Intervals.sampleVariance(4, sum(shifted), sumOfSquares(shifted)), 1e-15);
  }

  @Test
  void invalidInputsAreRefusedWithTheReason() {
    assertMessage("positive denominator, got n = 0", () -> Intervals.wilson(0, 0));
    assertMessage("0 <= numerator <= denominator, got 11 of 10", () -> Intervals.wilson(11, 10));
    assertMessage("0 <= numerator <= denominator, got -1 of 10", () -> Intervals.wilson(-1, 10));
    assertMessage("positive denominator, got n = -3", () -> Intervals.newcombe(1, 2, 1, -3));
    assertMessage("units in the control, got n = 0", () -> Intervals.welch(1, 0, 1, 1, 0, 0));
    assertMessage("non-negative variant variance, got -1.0", () -> Intervals.welch(1, -1, 2, 1, 0, 2));
    assertMessage("finite control mean, got NaN", () -> Intervals.welch(1, 0, 2, Double.NaN, 0, 2));
    assertMessage("count of at least 0, got -1", () -> Intervals.sampleVariance(-1, 0, 0));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    String message = assertThrows(IllegalArgumentException.class, call).getMessage();
    assertTrue(message.contains(expected), message);
  }

  private static double sum(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s;
  }

  private static double sumOfSquares(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x * x;
    }
    return s;
  }

  private static double twoPass(double[] xs) {
    double mean = sum(xs) / xs.length;
    double s = 0;
    for (double x : xs) {
      s += (x - mean) * (x - mean);
    }
    return s / (xs.length - 1);
  }
}
