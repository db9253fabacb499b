package dev.chatbotroi.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.UserException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes the gold tables to PostgreSQL, one table at a time: Spark loads the rows into an unlogged
 * staging table in parallel, then one transaction on the driver deletes the periods being replaced,
 * inserts the staged rows and drops the stage, so a reader sees the old rows or the new, never a mix.
 */
public final class JdbcExport {
  private JdbcExport() {}

  /** What one table's export did. */
  public record Written(String table, long rows, String scope) {}

  /**
   * Exports every existing table among {@code candidates}; {@code asked} null replaces whole tables.
   * A range is widened to the whole ISO weeks and months it touches, the periods `run` recomputes
   * for it: otherwise a week or month row that started before --from would stay old here.
   */
  public static List<Written> write(Tables tables, List<TableSchema> candidates, JdbcTarget target,
      Periods.Range asked, PrintStream out) {
    Periods.Range range = asked == null ? null : asked.widened();
    if (range != null && !range.equals(asked)) {
      out.println("export: --from " + asked.from() + " --to " + asked.to() + " widened to " + range.from() + ".."
          + range.to() + " (whole weeks and months, the periods run recomputes for that range)");
    }
    List<Written> written = new ArrayList<>();
    try (Connection conn = connect(target)) {
      lockSchema(conn, target.schema());
      prepare(conn, target.schema(), candidates);
      for (TableSchema t : tables.existing(candidates)) {
        Written w = writeTable(tables, conn, target, t, range);
        out.println("export: " + target.schema() + "." + w.table() + " " + w.rows() + " rows (" + w.scope() + ")");
        written.add(w);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL " + target.displayUrl() + ": " + firstLine(e), e);
    }
    return written;
  }

  static Connection connect(JdbcTarget target) throws SQLException {
    try {
      return DriverManager.getConnection(target.url(), target.properties());
    } catch (SQLException e) {
      throw new UserException("cannot connect to " + target.displayUrl() + " as "
          + (target.user() == null ? "(no " + JdbcTarget.USER_ENV + " set)" : target.user()) + ": " + firstLine(e));
    }
  }

  /** Two exports into one schema would drop each other's staging tables: the second one stops at once. */
  private static void lockSchema(Connection conn, String schema) throws SQLException {
    try (PreparedStatement s = conn.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      s.setString(1, "chatbot-roi-export:" + schema);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        if (!r.getBoolean(1)) {
          throw new UserException("another export into schema " + schema + " is running; retry when it has finished");
        }
      }
    }
  }

  /** Creates the schema, tables, keys, indexes and views if missing; refuses a table whose columns differ. */
  static void prepare(Connection conn, String schema, List<TableSchema> exported) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      for (TableSchema t : exported) {
        s.execute(PostgresLayout.createTable(schema, t));
        checkColumns(conn, schema, t);
        for (String index : PostgresLayout.createIndexes(schema, t)) {
          s.execute(index);
        }
      }
      for (PostgresLayout.View v : PostgresLayout.views(schema)) {
        s.execute("CREATE OR REPLACE VIEW " + schema + "." + v.name() + " AS " + v.select());
      }
    }
  }

  private static void checkColumns(Connection conn, String schema, TableSchema t) throws SQLException {
    List<String> actual = new ArrayList<>();
    try (PreparedStatement s = conn.prepareStatement("SELECT column_name FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      s.setString(1, schema);
      s.setString(2, t.name());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          actual.add(r.getString(1));
        }
      }
    }
    List<String> expected = Arrays.asList(t.columns());
    if (!actual.equals(expected)) {
      throw new UserException("PostgreSQL table " + schema + "." + t.name() + " has columns " + actual
          + " but this version exports " + expected + "; drop the table or export into a new --schema");
    }
  }

  private static Written writeTable(Tables tables, Connection conn, JdbcTarget target, TableSchema t,
      Periods.Range range) throws SQLException {
    String table = target.schema() + "." + t.name();
    String stage = target.schema() + "._stage_" + t.name();
    boolean ranged = range != null && t.export().periodKind() != TableSchema.PeriodKind.NONE;
    try (Statement s = conn.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + stage); // left over by an export that was killed
      s.execute("CREATE UNLOGGED TABLE " + stage + " (LIKE " + table + ")");
    }
    Dataset<Row> rows = tables.read(t);
    if (ranged) {
      rows = rows.where(periodOf(t).between(lit(range.from()), lit(range.to())));
    }
    rows.coalesce(4).write().mode(SaveMode.Append).option("batchsize", 10_000)
        .jdbc(target.url(), stage, target.properties());
    String cols = String.join(", ", t.columns());
    boolean autoCommit = conn.getAutoCommit();
    conn.setAutoCommit(false);
    try (Statement s = conn.createStatement()) {
      if (ranged) {
        try (PreparedStatement d = conn.prepareStatement("DELETE FROM " + table + " WHERE " + periodSql(t)
            + " BETWEEN ? AND ?")) {
          d.setObject(1, range.from());
          d.setObject(2, range.to());
          d.executeUpdate();
        }
      } else {
        s.executeUpdate("DELETE FROM " + table);
      }
      long n = s.executeUpdate("INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + stage);
      s.execute("DROP TABLE " + stage);
      conn.commit();
      return new Written(t.name(), n, ranged ? t.export().periodColumn() + " " + range.from() + ".." + range.to()
          : "whole table");
    } catch (SQLException e) {
      rollbackQuietly(conn, e);
      throw new IllegalStateException("export of " + table + " rolled back, its previous rows are intact ("
          + firstLine(e) + "); tables before it were committed; run the export again", e);
    } finally {
      restoreAutoCommit(conn, autoCommit);
    }
  }

  /** The period a row belongs to, on the Spark side; the session time zone is UTC. */
  private static Column periodOf(TableSchema t) {
    Column c = col(t.export().periodColumn());
    return t.export().periodKind() == TableSchema.PeriodKind.TIMESTAMP ? to_date(c) : c;
  }

  /** The same period on the PostgreSQL side. */
  private static String periodSql(TableSchema t) {
    String c = t.export().periodColumn();
    return t.export().periodKind() == TableSchema.PeriodKind.TIMESTAMP ? "(" + c + " AT TIME ZONE 'UTC')::date" : c;
  }

  /** After a killed connection there is nothing to restore; the export's own error is what the user must see. */
  private static void restoreAutoCommit(Connection conn, boolean autoCommit) {
    try {
      if (!conn.isClosed()) {
        conn.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      // the connection broke; the caller is already throwing the reason
    }
  }

  private static void rollbackQuietly(Connection conn, SQLException cause) {
    try {
      conn.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // the connection is gone: the server has rolled back already
    }
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m) + (e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]");
  }
}
