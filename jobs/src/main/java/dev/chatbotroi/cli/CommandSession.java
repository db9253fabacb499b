package dev.chatbotroi.cli;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import dev.chatbotroi.common.Tables;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/** Runs one command's body in a Spark session against one warehouse, logged as one job_runs row. */
final class CommandSession {
  private CommandSession() {}

  /**
   * Runs {@code commands} (several {@link #inSession} calls) in one session and stops it afterwards:
   * the commands then share one driver and one set of executors, where each would start its own
   * (on a cluster, the demo's export took about a minute that way, most of it new executors).
   */
  static <T> T shared(String name, CommonOptions common, Settings settings, java.util.function.Supplier<T> commands) {
    boolean ours = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark = SparkSessions.create("chatbot-roi " + name, common.master, settings);
    try {
      return commands.get();
    } finally {
      if (ours) {
        spark.stop();
      }
    }
  }

  /** Runs {@code body} in a new session, logged in job_runs, and stops the session unless it was already running. */
  static JobRun.Counts inSession(String command, String warehouse, CommonOptions common, Settings settings,
      LocalDate from, LocalDate to, CommandRun.Body body) {
    // a session someone else started (a notebook, a test JVM) is theirs to stop, not ours
    boolean ours = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark = SparkSessions.create("chatbot-roi " + command, common.master, settings);
    try {
      return CommandRun.logged(new Tables(spark, warehouse), command, from, to, body);
    } finally {
      if (ours) {
        spark.stop();
      }
    }
  }
}
