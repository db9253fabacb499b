package dev.chatbotroi.experiments;

/** The sample-ratio check of one experiment: Pearson's chi-square of units per variant against the planned shares. */
public final class SampleRatio {
  private SampleRatio() {}

  /** Below this p-value the split is flagged; a diagnostic, not an error (docs/experiments.md). */
  public static final double ALPHA = 0.001;

  // ~1e-15 relative: a few ulps above double epsilon, so the loops stop once a term no longer counts
  private static final double EPS = 1e-15;
  private static final double FPMIN = Double.MIN_NORMAL / EPS;
  // enough for the series near x = a up to a ≈ 1e6 (about √(70a) terms); a check has a handful of variants
  private static final int MAX_ITERATIONS = 10_000;

  /** True when the observed split is less likely than {@link #ALPHA} under the planned shares. */
  public static boolean sampleRatioMismatch(long[] observed, double[] expectedShares) {
    return chiSquarePValue(observed, expectedShares) < ALPHA;
  }

  /**
   * The p-value of Pearson's goodness-of-fit test with k − 1 degrees of freedom. The shares are
   * relative (normalised by their sum) and each must be positive: a variant planned at 0 % has no
   * expected count to compare with. 1.0 when there are fewer than two variants or no units.
   */
  public static double chiSquarePValue(long[] observed, double[] expectedShares) {
    if (observed.length != expectedShares.length) {
      throw new IllegalArgumentException("sample-ratio check needs one expected share per variant, got "
          + observed.length + " counts and " + expectedShares.length + " shares");
    }
    long total = 0;
    double shareSum = 0;
    for (int i = 0; i < observed.length; i++) {
      if (observed[i] < 0) {
        throw new IllegalArgumentException("sample-ratio check needs unit counts >= 0, variant " + i
            + " has " + observed[i]);
      }
      if (!(expectedShares[i] > 0) || Double.isInfinite(expectedShares[i])) {
        throw new IllegalArgumentException("sample-ratio check needs finite, positive expected shares, variant "
            + i + " has " + expectedShares[i]);
      }
      total = Math.addExact(total, observed[i]);
      shareSum += expectedShares[i];
    }
    int k = observed.length;
    if (k < 2 || total == 0) {
      return 1.0;
    }
    double statistic = 0;
    for (int i = 0; i < k; i++) {
      double expected = total * (expectedShares[i] / shareSum);
      double diff = observed[i] - expected;
      statistic += diff * diff / expected;
    }
    return regularizedGammaQ((k - 1) / 2.0, statistic / 2.0);
  }

  /**
   * Q(a, x) = Γ(a, x) / Γ(a), the upper tail of the chi-square with 2a degrees of freedom at 2x.
   * Below x = a + 1 the series for P converges fast and Q is not small, so 1 − P loses nothing;
   * above it the continued fraction gives the small tail directly (Numerical Recipes, section 6.2).
   */
  static double regularizedGammaQ(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException("Q(a, x) needs a > 0 and x >= 0, got a = " + a + ", x = " + x);
    }
    if (x == 0) {
      return 1.0;
    }
    if (Double.isInfinite(x)) {
      return 0.0;
    }
    return x < a + 1 ? 1.0 - lowerSeries(a, x) : upperContinuedFraction(a, x);
  }

  /** P(a, x) by the series Σ xⁿ / (a (a+1) … (a+n)), times e^−x xᵃ / Γ(a). */
  private static double lowerSeries(double a, double x) {
    double ap = a;
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n <= MAX_ITERATIONS; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) {
        return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
      }
    }
    throw new IllegalStateException("incomplete gamma series did not converge for a = " + a + ", x = " + x);
  }

  /** Q(a, x) by its continued fraction, evaluated with the modified Lentz method. */
  private static double upperContinuedFraction(double a, double x) {
    double b = x + 1 - a;
    double c = 1.0 / FPMIN;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i <= MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < FPMIN) {
        d = FPMIN;
      }
      c = b + an / c;
      if (Math.abs(c) < FPMIN) {
        c = FPMIN;
      }
      d = 1.0 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
      }
    }
    throw new IllegalStateException("incomplete gamma fraction did not converge for a = " + a + ", x = " + x);
  }

  /** ln Γ(x) for x > 0 by Lanczos' approximation (Numerical Recipes' six terms, error below 2e-10). */
  static double lnGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("ln Γ(x) needs x > 0, got " + x);
    }
    double[] cof = {76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155,
        0.1208650973866179e-2, -0.5395239384953e-5};
    double y = x;
    double tmp = x + 5.5;
    tmp -= (x + 0.5) * Math.log(tmp);
    double series = 1.000000000190015;
    for (double c : cof) {
      y += 1;
      series += c / y;
    }
    return -tmp + Math.log(2.5066282746310005 * series / x);
  }
}
