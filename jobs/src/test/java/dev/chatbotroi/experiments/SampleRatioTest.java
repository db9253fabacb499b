package dev.chatbotroi.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sample-ratio check against chi-square table values and splits worked by hand; no Spark. */
class SampleRatioTest {

  /** The upper tail of the chi-square distribution, through the gamma function as the check uses it. */
  private static double tail(int df, double x) {
    return SampleRatio.regularizedGammaQ(df / 2.0, x / 2.0);
  }

  @Test
  void tableQuantiles() {
    // the 0.001 and 0.05 columns of the chi-square table
    assertEquals(0.001, tail(1, 10.828), 1e-4);
    assertEquals(0.001, tail(2, 13.816), 1e-4);
    assertEquals(0.05, tail(3, 7.815), 1e-4);
    assertEquals(0.05, tail(1, 3.841458820694124), 1e-12);
    // P(|Z| > 1) = 0.3173105078629141 for one degree of freedom
    assertEquals(0.3173105078629141, tail(1, 1.0), 1e-9);
  }

  @Test
  void closedFormsOnBothSidesOfTheSeriesSwitch() {
    // df = 2: Q(1, x/2) = e^(−x/2); df = 4: Q(2, x/2) = e^(−x/2) (1 + x/2). The series serves
    // x/2 < a + 1 and the continued fraction the rest, so these x exercise both; relative
    // tolerance, because 1 − P from the series alone would round a tail of e^(−100) to 0
    for (double x : new double[] {0.01, 0.5, 1.0, 3.0, 3.99, 4.01, 13.816, 50.0, 200.0}) {
      assertEquals(Math.exp(-x / 2), tail(2, x), 1e-9 * Math.exp(-x / 2), "df 2, x " + x);
      double four = Math.exp(-x / 2) * (1 + x / 2);
      assertEquals(four, tail(4, x), 1e-9 * four, "df 4, x " + x);
    }
    assertEquals(1.0, tail(3, 0.0));
  }

  @Test
  void lnGammaAtKnownPoints() {
    assertEquals(0.0, SampleRatio.lnGamma(1), 1e-9);
    assertEquals(0.0, SampleRatio.lnGamma(2), 1e-9);
    assertEquals(Math.log(Math.sqrt(Math.PI)), SampleRatio.lnGamma(0.5), 1e-9);
    // Γ(4.5) = 3.5 · 2.5 · 1.5 · 0.5 · √π = 105/16 √π
    assertEquals(Math.log(105.0 / 16 * Math.sqrt(Math.PI)), SampleRatio.lnGamma(4.5), 1e-9);
    assertEquals(Math.log(362_880), SampleRatio.lnGamma(10), 1e-9);
  }

  @Test
  void anEvenSplitIsNoMismatch() {
    // 1000 vs 1000 against 50/50: every count is its expectation, χ² = 0, p = 1
    assertEquals(1.0, SampleRatio.chiSquarePValue(new long[] {1000, 1000}, new double[] {1, 1}));
    assertFalse(SampleRatio.sampleRatioMismatch(new long[] {1000, 1000}, new double[] {0.5, 0.5}));
  }

  @Test
  void thousandAgainstTwelveHundredIsAMismatch() {
    // expected 1100 each: χ² = 100²/1100 + 100²/1100 = 20000/1100 = 18.18 (= 200²/2200 for two
    // groups); one degree of freedom, p = P(|Z| > √18.18 = 4.264) = 2.008e-5 < 0.001
    long[] units = {1000, 1200};
    double[] shares = {0.5, 0.5};
    assertEquals(2.008e-5, SampleRatio.chiSquarePValue(units, shares), 1e-8);
    assertTrue(SampleRatio.sampleRatioMismatch(units, shares));
  }

  @Test
  void significantAtFivePercentIsNotYetFlagged() {
    // 1000 vs 1130: χ² = 130²/2130 = 7.934, p = 0.00485: below 0.05 but above 0.001
    long[] units = {1000, 1130};
    double[] shares = {1, 1};
    assertEquals(0.00485, SampleRatio.chiSquarePValue(units, shares), 1e-5);
    assertFalse(SampleRatio.sampleRatioMismatch(units, shares));
  }

  @Test
  void anUnevenPlanIsComparedWithItsOwnShares() {
    // a 10 %/90 % plan with 100/900 observed: χ² = 0, whether the shares are fractions or weights
    long[] units = {100, 900};
    assertFalse(SampleRatio.sampleRatioMismatch(units, new double[] {0.1, 0.9}));
    assertEquals(1.0, SampleRatio.chiSquarePValue(units, new double[] {10, 90}), 1e-12);
    // the same units against an even plan are far off: χ² = 2 · 400²/500 = 640
    assertTrue(SampleRatio.sampleRatioMismatch(units, new double[] {0.5, 0.5}));
  }

  @Test
  void threeVariantsUseTwoDegreesOfFreedom() {
    // 1000, 1000, 1100 against equal thirds: expected 3100/3 each, deviations −100/3, −100/3, 200/3;
    // χ² = (10000/9 · 2 + 40000/9) / (3100/3) = 200/31 = 6.4516; with df = 2, p = e^(−χ²/2) = 0.039724
    assertEquals(Math.exp(-100.0 / 31), SampleRatio.chiSquarePValue(new long[] {1000, 1000, 1100},
        new double[] {1, 1, 1}), 1e-9);
  }

  @Test
  void nothingToTestGivesOne() {
    assertEquals(1.0, SampleRatio.chiSquarePValue(new long[] {500}, new double[] {1}));
    assertEquals(1.0, SampleRatio.chiSquarePValue(new long[] {}, new double[] {}));
    assertEquals(1.0, SampleRatio.chiSquarePValue(new long[] {0, 0}, new double[] {0.5, 0.5}));
  }

  @Test
  void invalidInputsAreRefusedWithTheReason() {
    assertMessage("one expected share per variant, got 2 counts and 3 shares",
        () -> SampleRatio.chiSquarePValue(new long[] {1, 2}, new double[] {1, 1, 1}));
    assertMessage("unit counts >= 0, variant 1 has -2",
        () -> SampleRatio.chiSquarePValue(new long[] {1, -2}, new double[] {1, 1}));
    assertMessage("positive expected shares, variant 0 has 0.0",
        () -> SampleRatio.chiSquarePValue(new long[] {1, 2}, new double[] {0, 1}));
    assertMessage("positive expected shares, variant 1 has NaN",
        () -> SampleRatio.sampleRatioMismatch(new long[] {1, 2}, new double[] {1, Double.NaN}));
    assertMessage("a > 0 and x >= 0", () -> SampleRatio.regularizedGammaQ(1, -1));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    String message = assertThrows(IllegalArgumentException.class, call).getMessage();
    assertTrue(message.contains(expected), message);
  }
}
