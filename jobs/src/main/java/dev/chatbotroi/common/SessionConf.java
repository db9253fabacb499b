package dev.chatbotroi.common;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Runs a piece of a job under a few session settings, restoring the previous values afterwards. */
public final class SessionConf {
  private SessionConf() {}

  /** Whole-stage code generation off: for plans too wide for one generated method (see the callers). */
  public static final Map<String, String> NO_WHOLE_STAGE = Map.of("spark.sql.codegen.wholeStage", "false");

  public static <T> T with(SparkSession spark, Map<String, String> conf, Supplier<T> body) {
    Map<String, String> before = new HashMap<>();
    conf.forEach((k, v) -> {
      before.put(k, spark.conf().get(k, null));
      spark.conf().set(k, v);
    });
    try {
      return body.get();
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }
}
