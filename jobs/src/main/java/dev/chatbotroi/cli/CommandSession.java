package dev.chatbotroi.cli;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import dev.chatbotroi.common.Tables;
import java.time.LocalDate;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** Runs one command's body in a Spark session against one warehouse, logged as one job_runs row. */
final class CommandSession {
  private CommandSession() {}

  /**
   * Runs {@code commands} in one session and stops it afterwards, unless someone else (a notebook, a
   * test JVM, an enclosing call) started it: several {@link #inSession} calls inside then share one
   * driver and one set of executors, where each would start its own (on a cluster, the demo's export
   * took about a minute that way, most of it new executors).
   */
  static <T> T shared(String name, CommonOptions common, Settings settings, Function<SparkSession, T> commands) {
    boolean ours = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark = SparkSessions.create("chatbot-roi " + name, common.master, settings);
    try {
      return commands.apply(spark);
    } finally {
      if (ours) {
        spark.stop();
      }
    }
  }

  /** Runs {@code body} in a session, logged as one job_runs row; the session is stopped as {@link #shared} says. */
  static JobRun.Counts inSession(String command, String warehouse, CommonOptions common, Settings settings,
      LocalDate from, LocalDate to, CommandRun.Body body) {
    return shared(command, common, settings,
        spark -> CommandRun.logged(new Tables(spark, warehouse), command, from, to, body));
  }
}
