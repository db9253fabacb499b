package dev.chatbotroi.experiments;

/** 95 % intervals of a holdout variant's lift over the pooled control, one metric of one variant at a time. */
public final class Intervals {
  private Intervals() {}

  /** The normal quantile of a two-sided 95 % interval, rounded as docs/experiments.md states it. */
  public static final double Z = 1.96;

  /** A closed interval; {@code low} ≤ {@code high}. */
  public record Interval(double low, double high) {}

  /**
   * The Wilson score interval of the proportion x/n, without continuity correction. Clamped to
   * [0, 1]: at x = 0 and x = n the bounds are exactly 0 and 1, but the arithmetic can land a few
   * ulps outside.
   */
  public static Interval wilson(long x, long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("Wilson interval needs a positive denominator, got n = " + n);
    }
    if (x < 0 || x > n) {
      throw new IllegalArgumentException(
          "Wilson interval needs 0 <= numerator <= denominator, got " + x + " of " + n);
    }
    double p = (double) x / n;
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new Interval(Math.max(0.0, center - half), Math.min(1.0, center + half));
  }

  /**
   * Newcombe's hybrid score interval (his method 10) of p1 − p2 = x1/n1 − x2/n2, built from the two
   * Wilson intervals; index 1 is the variant, index 2 the pooled control.
   */
  public static Interval newcombe(long x1, long n1, long x2, long n2) {
    Interval w1 = wilson(x1, n1);
    Interval w2 = wilson(x2, n2);
    double p1 = (double) x1 / n1;
    double p2 = (double) x2 / n2;
    double lift = p1 - p2;
    // the low end of the difference pairs the variant's low side with the control's high side
    double low = lift - Math.hypot(p1 - w1.low(), w2.high() - p2);
    double high = lift + Math.hypot(w1.high() - p1, p2 - w2.low());
    return new Interval(low, high);
  }

  /**
   * The normal-approximation interval of mean1 − mean2 with unpooled variances (Welch's standard
   * error; the normal quantile, not Student's t, as docs/experiments.md states). The variances are
   * sample variances; pass 0 for a group of one unit.
   */
  public static Interval welch(double mean1, double var1, long n1, double mean2, double var2, long n2) {
    requireGroup("variant", mean1, var1, n1);
    requireGroup("control", mean2, var2, n2);
    double lift = mean1 - mean2;
    double half = Z * Math.sqrt(var1 / n1 + var2 / n2);
    return new Interval(lift - half, lift + half);
  }

  private static void requireGroup(String name, double mean, double variance, long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("Welch interval needs units in the " + name + ", got n = " + n);
    }
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("Welch interval needs a finite " + name + " mean, got " + mean);
    }
    if (!(variance >= 0) || Double.isInfinite(variance)) {
      throw new IllegalArgumentException(
          "Welch interval needs a finite, non-negative " + name + " variance, got " + variance);
    }
  }

  /**
   * The sample variance (n − 1 denominator) from a count, a sum and a sum of squares; 0 for n ≤ 1,
   * and never negative (rounding can take the difference a few ulps below zero).
   *
   * <p>The one-pass formula subtracts two numbers of size n·mean²; its relative error is about
   * 1e-16 · mean² / variance, on top of the error already in the sums. For amounts per unit, where
   * most units have 0 and the spread is as large as the mean, that is far below anything a 95 %
   * interval shows. It matters only when the values sit close together far from zero (for example
   * 1e9 ± 2): then pass the sums of x − K for any K near the mean (the control's mean, or one
   * value); the variance does not change under a shift and the cancellation goes away. In Spark,
   * {@code var_samp} already merges per-partition moments the stable way and needs no shift.
   */
  public static double sampleVariance(long n, double sum, double sumOfSquares) {
    if (n < 0) {
      throw new IllegalArgumentException("sample variance needs a count of at least 0, got " + n);
    }
    if (n <= 1) {
      return 0.0;
    }
    double variance = (sumOfSquares - sum * sum / n) / (n - 1);
    return Math.max(0.0, variance);
  }
}
