package dev.chatbotroi.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A weighted choice among strings; one draw picks one value. */
record Choice(List<String> values, List<Double> weights) {
  static Choice of(Object... pairs) {
    List<String> v = new ArrayList<>();
    List<Double> w = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      v.add((String) pairs[i]);
      w.add(((Number) pairs[i + 1]).doubleValue());
    }
    return new Choice(List.copyOf(v), List.copyOf(w));
  }

  String pick(SplittableRandom rnd) {
    double total = 0;
    for (double x : weights) {
      total += x;
    }
    double r = rnd.nextDouble() * total;
    for (int i = 0; i < values.size(); i++) {
      r -= weights.get(i);
      if (r < 0) {
        return values.get(i);
      }
    }
    return values.get(values.size() - 1);
  }
}
