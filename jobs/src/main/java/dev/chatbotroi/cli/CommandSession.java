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

  /** Runs {@code body} in a new session, logged in job_runs, and stops the session. */
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
