package dev.chatbotroi.attribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A first-order Markov chain of one window's journeys: p of conversion, removal effects (docs/attribution.md). */
public final class MarkovChain {
  public static final String START = "(start)";
  public static final String CONVERSION = "(conversion)";
  public static final String NULL = "(null)";
  /** Removal effects and shares below this are floating-point noise where the exact value is 0. */
  static final double EPSILON = 1e-12;

  /** The transient states in sorted order, (start) included: the order of every loop and of the linear system. */
  private final List<String> states;
  /** q[i][j] = P(states[i] → states[j]); the rest of row i goes to (conversion) or (null). */
  private final double[][] q;
  private final double[] toConversion;
  private final double p;

  private MarkovChain(List<String> states, double[][] q, double[] toConversion) {
    this.states = states;
    this.q = q;
    this.toConversion = toConversion;
    this.p = absorption(q);
  }

  /**
   * The chain of transition counts {@code from → (to → count)}. (conversion) and (null) are absorbing
   * and may not be sources; every other state named is transient, and (start) always is.
   */
  public static MarkovChain of(Map<String, Map<String, Long>> counts) {
    SortedSet<String> names = new TreeSet<>();
    names.add(START);
    for (Map.Entry<String, Map<String, Long>> from : counts.entrySet()) {
      if (isAbsorbing(from.getKey())) {
        throw new IllegalArgumentException("an absorbing state has no transitions: " + from.getKey());
      }
      names.add(from.getKey());
      for (Map.Entry<String, Long> to : from.getValue().entrySet()) {
        if (to.getValue() < 0) {
          throw new IllegalArgumentException("negative count " + from.getKey() + " → " + to.getKey());
        }
        if (!isAbsorbing(to.getKey())) {
          names.add(to.getKey());
        }
      }
    }
    List<String> states = List.copyOf(names);
    int n = states.size();
    double[][] q = new double[n][n];
    double[] toConversion = new double[n];
    for (int i = 0; i < n; i++) {
      // long sums are exact, so the caller's map order cannot change a bit
      Map<String, Long> out = counts.getOrDefault(states.get(i), Map.of());
      long total = 0;
      for (long c : out.values()) {
        total = Math.addExact(total, c);
      }
      // A state never seen leaving (only a target) has no evidence of leading anywhere, so it goes to
      // (null) with probability 1: a zero row, which also keeps I − Q invertible.
      if (total == 0) {
        continue;
      }
      for (Map.Entry<String, Long> to : out.entrySet()) {
        double pr = (double) to.getValue() / total;
        if (to.getKey().equals(CONVERSION)) {
          toConversion[i] = pr;
        } else if (!to.getKey().equals(NULL)) {
          q[i][Collections.binarySearch(states, to.getKey())] = pr;
        }
      }
    }
    return new MarkovChain(states, q, toConversion);
  }

  /** p: the probability of being absorbed in (conversion) from (start). */
  public double conversionProbability() {
    return p;
  }

  /** Whether any journey converts (p > 0): removal effects exist only then. */
  public boolean converts() {
    return p > 0;
  }

  /** p₋ₛ: p of the chain where every transition into {@code state} goes to (null) instead. */
  public double conversionProbabilityWithout(String state) {
    if (isAbsorbing(state) || state.equals(START)) {
      throw new IllegalArgumentException("not a removable state: " + state);
    }
    int s = Collections.binarySearch(states, state);
    if (s < 0) {
      return p; // nothing goes into a state the chain does not know
    }
    double[][] removed = new double[q.length][];
    for (int i = 0; i < q.length; i++) {
      removed[i] = q[i].clone();
      removed[i][s] = 0; // the mass that went to s now goes to (null), which converts with probability 0
    }
    return absorption(removed);
  }

  /**
   * RE(s) = 1 − p₋ₛ / p for every real state, in sorted order; values below 1e-12 are 0. Throws
   * IllegalStateException when nothing converts (p = 0, see {@link #converts()}): the ratio has no meaning.
   */
  public SortedMap<String, Double> removalEffects() {
    if (!converts()) {
      throw new IllegalStateException("no journey converts: removal effects are undefined");
    }
    SortedMap<String, Double> out = new TreeMap<>();
    for (String s : states) {
      if (!s.equals(START)) {
        double re = 1 - conversionProbabilityWithout(s) / p;
        out.put(s, re < EPSILON ? 0.0 : re);
      }
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** The path with each run of the same state made one: A > A > B > A → A > B > A. */
  public static List<String> collapse(List<String> states) {
    List<String> out = new ArrayList<>();
    for (String s : states) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Adds the transitions of {@code weight} identical journeys with this path to {@code counts}:
   * (start) → first, each state → the next, last → (conversion) or (null). A transition that occurs
   * twice in the path counts twice.
   */
  public static void addPath(Map<String, Map<String, Long>> counts, List<String> collapsedPath, boolean converted,
      long weight) {
    if (collapsedPath.isEmpty() || weight < 0) {
      throw new IllegalArgumentException("an empty path or a negative weight: " + collapsedPath + ", " + weight);
    }
    for (int i = 0; i < collapsedPath.size(); i++) {
      String s = collapsedPath.get(i);
      if (isAbsorbing(s) || s.equals(START)) {
        throw new IllegalArgumentException("a pseudo-state in a path: " + s);
      }
      if (i > 0 && s.equals(collapsedPath.get(i - 1))) {
        throw new IllegalArgumentException("path not collapsed: " + collapsedPath);
      }
    }
    if (weight == 0) {
      return;
    }
    String from = START;
    for (String s : collapsedPath) {
      counts.computeIfAbsent(from, k -> new TreeMap<>()).merge(s, weight, Long::sum);
      from = s;
    }
    counts.computeIfAbsent(from, k -> new TreeMap<>()).merge(converted ? CONVERSION : NULL, weight, Long::sum);
  }

  /**
   * The share RE(s) / Σ RE of each distinct state of a converting path (shares below 1e-12 are 0), or
   * null when that Σ is 0 and the caller falls back to linear.
   */
  public static SortedMap<String, Double> pathShares(List<String> collapsedPath, Map<String, Double> removalEffects) {
    SortedSet<String> distinct = new TreeSet<>(collapsedPath);
    double sum = 0;
    for (String s : distinct) {
      Double re = removalEffects.get(s);
      if (re == null) {
        throw new IllegalArgumentException("no removal effect for " + s);
      }
      sum += re;
    }
    if (!(sum > 0)) {
      return null;
    }
    SortedMap<String, Double> out = new TreeMap<>();
    for (String s : distinct) {
      double share = removalEffects.get(s) / sum;
      out.put(s, share < EPSILON ? 0.0 : share);
    }
    return Collections.unmodifiableSortedMap(out);
  }

  private static boolean isAbsorbing(String state) {
    return state.equals(CONVERSION) || state.equals(NULL);
  }

  /**
   * The absorption probability in (conversion) from (start) for transitions {@code t}. A state that
   * cannot reach (conversion) converts with probability 0 and gets the equation x = 0: a cycle with
   * no way out would otherwise make I − Q singular.
   */
  private double absorption(double[][] t) {
    int n = states.size();
    boolean[] reaches = new boolean[n];
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n && !reaches[i]; j++) {
          if (toConversion[i] > 0 || reaches[j] && t[i][j] > 0) {
            reaches[i] = changed = true;
          }
        }
      }
    }
    int start = Collections.binarySearch(states, START);
    if (!reaches[start]) {
      return 0; // exactly: the elimination could leave rounding noise where nothing converts
    }
    double[][] system = new double[n][n + 1]; // (I − Q | R_conversion)
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        system[i][j] = (i == j ? 1 : 0) - (reaches[i] ? t[i][j] : 0);
      }
      system[i][n] = toConversion[i];
    }
    // a probability: rounding must not leave [0, 1]
    return Math.min(1, Math.max(0, solve(system)[start]));
  }

  /**
   * Solves A x = b, given as the n × (n + 1) matrix (A | b), by Gaussian elimination with partial
   * pivoting; the matrix is overwritten.
   */
  static double[] solve(double[][] a) {
    int n = a.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) { // strict: ties keep the first row
          pivot = r;
        }
      }
      if (a[pivot][col] == 0) {
        throw new IllegalStateException("singular system at column " + col);
      }
      double[] row = a[col];
      a[col] = a[pivot];
      a[pivot] = row;
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        if (f != 0) {
          for (int c = col; c <= n; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = a[r][n];
      for (int c = r + 1; c < n; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }
}
