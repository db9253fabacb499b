package dev.chatbotroi.bench;

import dev.chatbotroi.common.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** DuckDB SQL over the lake: the conversation facts and 7 metrics per (day, intent), checked equal to ours. */
public final class DuckDbPeer {
  private DuckDbPeer() {}

  static final String SQL_RESOURCE = "/bench/duckdb_peer.sql";

  /** The metrics both sides compute, in the order of the contract's table. */
  static final List<String> METRICS = List.of("conversations", "engaged_conversations", "deflection_rate",
      "resolution_rate", "fallback_rate", "handoff_rate", "median_turns");

  /** Counts and medians of counts are exact; a rate is a quotient whose CSV text has 12 decimals. */
  static final double RATE_TOLERANCE = 1e-9;

  /** Differences named in the message when the check fails; the rest are counted. */
  static final int SHOWN_DIFFERENCES = 5;

  /** Where the lake and our export are, and the settings the SQL needs. */
  record Options(Path lake, Path metricsCsv, int threads, String timezone, String currency,
      List<String> eligibleIntents, int ticketWindowDays) {}

  /** One metric row at the compared grain; numerator, denominator or value may be null (empty in CSV). */
  record MetricRow(Double numerator, Double denominator, Double value) {}

  /** What the DuckDB run produced: its timing, counts, and rows keyed "day|intent|metric". */
  record Result(double seconds, long conversations, Map<String, MetricRow> rows, String ingestSummary) {}

  /**
   * {@code --lake DIR --metrics DIR_OR_FILE [--threads N] [--eligible-intents a,b] [--ticket-window-days N]
   * [--timezone ZONE]}; {@code --metrics} is our `metrics` table from {@code chatbot-roi export --format csv}
   * (the folder or its metrics.csv). DuckDB is reached through {@link DriverManager} only: it is a dependency
   * of the bench module, on bench/target/runtime-classpath.txt, never in the production jar.
   */
  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    try (Connection c = connect()) {
      Result duck = compute(c, options);
      System.out.println(duck.ingestSummary());
      System.out.printf(Locale.ROOT, "duckdb: seconds=%.3f conversations=%d rows=%d%n",
          duck.seconds(), duck.conversations(), duck.rows().size());
      // the facts first: a difference there explains a metric difference better than the metric does
      Path facts = options.metricsCsv().resolveSibling("conversations.csv");
      if (Files.isRegularFile(facts)) {
        long equal = checkFacts(c, facts);
        System.out.println("duckdb: conversation facts OK, " + duck.conversations() + " conversations × "
            + FACTS.size() + " fields equal (" + equal + " non-empty values)");
      }
      Map<String, MetricRow> ours = readOurs(c, options.metricsCsv());
      long compared = crossCheck(ours, duck.rows());
      System.out.println("duckdb: cross-check OK, " + compared + " values equal");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Arguments and settings

  static Options parse(String[] args) {
    Path lake = null;
    Path metrics = null;
    int threads = 2;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("duckdb peer: " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--lake" -> lake = Path.of(v).toAbsolutePath().normalize();
        case "--metrics" -> metrics = Path.of(v).toAbsolutePath().normalize();
        case "--threads" -> threads = positiveInt(a, v);
        // the settings go through Settings, so they are parsed and normalised as our jobs do
        case "--eligible-intents" -> overrides.add("deflection.eligible-intents=" + hoconList(v));
        case "--ticket-window-days" -> overrides.add("deflection.ticket-window-days=" + positiveOrZero(a, v));
        case "--timezone" -> overrides.add("reporting.timezone=" + hoconString(v));
        default -> throw new IllegalArgumentException("duckdb peer: unknown option " + a
            + " (expected --lake, --metrics, --threads, --eligible-intents, --ticket-window-days, --timezone)");
      }
    }
    if (lake == null || metrics == null) {
      throw new IllegalArgumentException("duckdb peer: --lake DIR and --metrics DIR_OR_FILE are required");
    }
    if (!Files.isDirectory(lake.resolve("events"))) {
      throw new IllegalArgumentException("duckdb peer: --lake " + lake + " has no events folder");
    }
    Path csv = Files.isDirectory(metrics) ? metrics.resolve("metrics.csv") : metrics;
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("duckdb peer: --metrics " + metrics + ": no metrics.csv there");
    }
    Settings s = Settings.load(null, overrides);
    return new Options(lake, csv, threads, s.timezone().getId(), s.currency(),
        s.deflection().eligibleIntents(), s.deflection().ticketWindowDays());
  }

  private static int positiveInt(String option, String v) {
    int n = positiveOrZero(option, v);
    if (n == 0) {
      throw new IllegalArgumentException("duckdb peer: " + option + " must be at least 1, got " + v);
    }
    return n;
  }

  private static int positiveOrZero(String option, String v) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException("duckdb peer: " + option + " expects a whole number, got '" + v + "'");
  }

  private static String hoconString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String hoconList(String commaSeparated) {
    List<String> items = new ArrayList<>();
    for (String s : commaSeparated.split(",")) {
      items.add(hoconString(s));
    }
    return "[" + String.join(",", items) + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // The DuckDB run

  static Connection connect() {
    try {
      return DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException("duckdb peer: cannot open DuckDB (is org.duckdb:duckdb_jdbc on the class"
          + " path? bench/target/runtime-classpath.txt lists it): " + e.getMessage(), e);
    }
  }

  /** Runs the SQL on a fresh in-memory database; only the script itself is timed. */
  static Result compute(Connection c, Options o) throws SQLException, IOException {
    List<String> script = statements(readResource());
    try (Statement st = c.createStatement()) {
      st.execute("SET threads = " + o.threads());
      st.execute("SET VARIABLE lake = " + sqlString(o.lake().toString()));
      st.execute("SET VARIABLE timezone = " + sqlString(o.timezone()));
      st.execute("SET VARIABLE currency = " + sqlString(o.currency()));
      st.execute("SET VARIABLE ticket_window_days = " + o.ticketWindowDays());
      List<String> intents = o.eligibleIntents().stream().map(DuckDbPeer::sqlString).toList();
      // a typed empty list, so list_contains still binds when no intent is eligible
      st.execute("SET VARIABLE eligible_intents = " + (intents.isEmpty() ? "[]::VARCHAR[]" : "[" + String.join(", ", intents) + "]"));

      long t0 = System.nanoTime();
      for (String sql : script) {
        if (sql.lines().anyMatch(l -> l.strip().equals("-- when: ticket_files")) && !hasTicketFiles(st)) {
          continue;
        }
        try {
          st.execute(sql);
        } catch (SQLException e) {
          throw new SQLException("duckdb peer: statement failed: " + firstLine(e.getMessage())
              + " — in: " + abbreviate(sql), e);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;

      long conversations = single(st, "SELECT count(*) FROM conversations");
      Map<String, MetricRow> rows = new TreeMap<>();
      try (ResultSet r = st.executeQuery(
          "SELECT period_start::VARCHAR, intent, metric, numerator, denominator, value FROM day_intent_metrics")) {
        while (r.next()) {
          rows.put(key(r.getString(1), r.getString(2), r.getString(3)),
              new MetricRow(nullable(r, 4), nullable(r, 5), nullable(r, 6)));
        }
      }
      // the ingest counts of job_runs (lines = accepted + duplicates + quarantined), to compare by eye
      String summary;
      try (ResultSet r = st.executeQuery("SELECT (SELECT count(*) FROM checked),"
          + " (SELECT count(*) FROM accepted), (SELECT count(*) FROM checked WHERE reason IS NULL),"
          + " (SELECT string_agg(reason || '=' || n, ' ' ORDER BY reason) FROM"
          + "   (SELECT reason, count(*) n FROM checked WHERE reason IS NOT NULL GROUP BY reason))")) {
        r.next();
        long lines = r.getLong(1);
        long accepted = r.getLong(2);
        long valid = r.getLong(3);
        summary = String.format(Locale.ROOT, "duckdb: lines=%d accepted=%d duplicates=%d quarantined=%d (%s)",
            lines, accepted, valid - accepted, lines - valid, Objects.toString(r.getString(4), "none"));
      }
      return new Result(seconds, conversations, rows, summary);
    }
  }

  private static boolean hasTicketFiles(Statement st) throws SQLException {
    return single(st, "SELECT len(getvariable('ticket_files'))") > 0;
  }

  private static long single(Statement st, String sql) throws SQLException {
    try (ResultSet r = st.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Double nullable(ResultSet r, int column) throws SQLException {
    double d = r.getDouble(column);
    return r.wasNull() ? null : d;
  }

  static String readResource() throws IOException {
    try (InputStream in = DuckDbPeer.class.getResourceAsStream(SQL_RESOURCE)) {
      if (in == null) {
        throw new IOException("duckdb peer: resource " + SQL_RESOURCE + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Splits a script at the semicolons outside quotes and comments; comments stay with the statement
   * that follows them (the `-- when:` marker reads them). Blank or comment-only pieces are dropped.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char ch = script.charAt(i);
      if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        cur.append(script, i, end);
        i = end;
      } else if (ch == '\'' || ch == '"') {
        int end = i + 1;
        while (end < n) {
          if (script.charAt(end) == ch) {
            if (end + 1 < n && script.charAt(end + 1) == ch) {
              end += 2; // a doubled quote is the quote character itself
              continue;
            }
            break;
          }
          end++;
        }
        end = Math.min(end + 1, n);
        cur.append(script, i, end);
        i = end;
      } else if (ch == ';') {
        add(out, cur);
        i++;
      } else {
        cur.append(ch);
        i++;
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString();
    cur.setLength(0);
    boolean code = s.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("--"));
    if (code) {
      out.add(s.strip());
    }
  }

  static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String abbreviate(String sql) {
    String code = sql.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("--"))
        .findFirst().orElse(sql);
    return code.length() > 100 ? code.substring(0, 100) + "…" : code;
  }

  // ---------------------------------------------------------------------------------------------
  // Our numbers and the comparison

  static String key(String day, String intent, String metric) {
    return day + "|" + intent + "|" + metric;
  }

  /**
   * Our rows at the same grain: `metrics` marks a rolled-up dimension "(all)", so day × intent is
   * period_grain = day with channel and flow "(all)" and a real intent (grouping set (intent)).
   * DuckDB reads the CSV here only as a CSV parser.
   */
  static Map<String, MetricRow> readOurs(Connection c, Path csv) throws SQLException {
    Map<String, MetricRow> rows = new TreeMap<>();
    String metrics = String.join(", ", METRICS.stream().map(DuckDbPeer::sqlString).toList());
    try (Statement st = c.createStatement();
         ResultSet r = st.executeQuery("SELECT period_start, intent, metric, numerator, denominator, value"
             + " FROM " + csvScan(csv)
             + " WHERE period_grain = 'day' AND channel = '(all)' AND flow = '(all)' AND intent <> '(all)'"
             + " AND metric IN (" + metrics + ")")) {
      while (r.next()) {
        rows.put(key(r.getString(1), r.getString(2), r.getString(3)),
            new MetricRow(number(r.getString(4)), number(r.getString(5)), number(r.getString(6))));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("duckdb peer: " + csv + " has no day × intent rows of " + METRICS);
    }
    return rows;
  }

  /** Our CSV export (docs/reference.md#exports: header row, empty cell for null) as text columns. */
  private static String csvScan(Path csv) {
    return "read_csv(" + sqlString(csv.toString())
        + ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')";
  }

  /**
   * The conversation facts both sides derive and the compared metrics rest on. Timestamps are
   * compared as instants; every other field as the text our export writes.
   */
  static final List<String> FACTS = List.of("anonymous_id", "period_date", "channel", "flow", "intent",
      "start_ts", "end_ts", "engaged", "user_turns", "bot_turns", "fallback_turns", "goal_completed",
      "resolved", "handed_off", "agent_involved", "lead_id", "eligible", "deflected", "completed");

  /**
   * Compares DuckDB's `conversations` with our exported one, conversation by conversation and field
   * by field; returns the number of equal non-empty values, throws naming the first differences.
   */
  static long checkFacts(Connection c, Path csv) throws SQLException {
    StringBuilder joined = new StringBuilder("SELECT o.conversation_id AS o_id, d.conversation_id AS d_id");
    StringBuilder diffs = new StringBuilder(
        "SELECT coalesce(o_id, d_id) AS id, 'row' AS field,"
            + " CASE WHEN o_id IS NULL THEN 'absent' ELSE 'present' END AS ours,"
            + " CASE WHEN d_id IS NULL THEN 'absent' ELSE 'present' END AS duck"
            + " FROM j WHERE o_id IS NULL OR d_id IS NULL");
    StringBuilder equal = new StringBuilder("SELECT 0");
    for (String f : FACTS) {
      boolean instant = f.endsWith("_ts");
      // the export writes ISO-8601 UTC text; DuckDB holds UTC TIMESTAMPs
      String ours = instant ? "try_cast(o." + f + " AS TIMESTAMPTZ)::TIMESTAMP::VARCHAR" : "o." + f;
      joined.append(", ").append(ours).append(" AS o_").append(f)
          .append(", d.").append(f).append("::VARCHAR AS d_").append(f);
      diffs.append(" UNION ALL SELECT o_id, '").append(f).append("', o_").append(f).append(", d_").append(f)
          .append(" FROM j WHERE o_id IS NOT NULL AND d_id IS NOT NULL AND o_").append(f)
          .append(" IS DISTINCT FROM d_").append(f);
      equal.append(" + count(*) FILTER (WHERE o_id IS NOT NULL AND d_id IS NOT NULL AND o_").append(f)
          .append(" IS NOT NULL AND o_").append(f).append(" = d_").append(f).append(")");
    }
    joined.append(" FROM ").append(csvScan(csv))
        .append(" o FULL JOIN conversations d ON o.conversation_id = d.conversation_id");
    String with = "WITH j AS (" + joined + ") ";
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE fact_diffs AS " + with + "SELECT * FROM (" + diffs + ")");
      long n = single(st, "SELECT count(*) FROM fact_diffs");
      if (n > 0) {
        List<String> shown = new ArrayList<>();
        try (ResultSet r = st.executeQuery("SELECT id, field, ours, duck FROM fact_diffs ORDER BY id, field LIMIT "
            + SHOWN_DIFFERENCES)) {
          while (r.next()) {
            shown.add("(" + r.getString(1) + ", " + r.getString(2) + ", ours=" + r.getString(3)
                + ", duckdb=" + r.getString(4) + ")");
          }
        }
        throw new IllegalStateException("duckdb peer: conversation facts differ, " + n
            + " differences (conversation_id, field, ours, duckdb), first: " + String.join("; ", shown));
      }
      return single(st, with + equal + " FROM j");
    }
  }

  private static Double number(String s) {
    return s == null || s.isBlank() ? null : Double.valueOf(s.trim());
  }

  /**
   * Compares every row of both sides: the same (day, intent, metric) keys, and per row numerator,
   * denominator and value — counts and medians exactly, rates within {@link #RATE_TOLERANCE}, an
   * empty cell only against an empty cell. Returns how many non-empty values were compared equal;
   * throws with the first differences otherwise.
   */
  static long crossCheck(Map<String, MetricRow> ours, Map<String, MetricRow> duck) {
    List<String> diffs = new ArrayList<>();
    long equal = 0;
    TreeSet<String> keys = new TreeSet<>(ours.keySet());
    keys.addAll(duck.keySet());
    for (String k : keys) {
      MetricRow a = ours.get(k);
      MetricRow b = duck.get(k);
      String where = "(" + k.replace("|", ", ");
      if (a == null || b == null) {
        diffs.add(where + ", row, ours=" + (a == null ? "absent" : "present")
            + ", duckdb=" + (b == null ? "absent" : "present") + ")");
        continue;
      }
      boolean rate = k.endsWith("_rate");
      String[] names = {"numerator", "denominator", "value"};
      Double[] x = {a.numerator(), a.denominator(), a.value()};
      Double[] y = {b.numerator(), b.denominator(), b.value()};
      for (int i = 0; i < 3; i++) {
        // only a rate's value is a quotient; its numerator and denominator are counts
        boolean same = x[i] == null || y[i] == null ? x[i] == y[i]
            : rate && i == 2 ? Math.abs(x[i] - y[i]) <= RATE_TOLERANCE : x[i].doubleValue() == y[i].doubleValue();
        if (!same) {
          diffs.add(where + ", " + names[i] + ", ours=" + x[i] + ", duckdb=" + y[i] + ")");
        } else if (x[i] != null) {
          equal++;
        }
      }
    }
    if (!diffs.isEmpty()) {
      throw new IllegalStateException("duckdb peer: cross-check FAILED, " + diffs.size()
          + " differences (day, intent, metric, field, ours, duckdb), first: "
          + String.join("; ", diffs.subList(0, Math.min(SHOWN_DIFFERENCES, diffs.size()))));
    }
    return equal;
  }
}
