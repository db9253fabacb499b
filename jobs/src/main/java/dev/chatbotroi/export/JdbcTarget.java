package dev.chatbotroi.export;

import dev.chatbotroi.common.UserException;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/** Where `export --format jdbc` writes: a PostgreSQL URL, a schema, and credentials taken from the environment. */
public record JdbcTarget(String url, String schema, String user, String password) {
  public static final String USER_ENV = "CHATBOT_ROI_JDBC_USER";
  public static final String PASSWORD_ENV = "CHATBOT_ROI_JDBC_PASSWORD";
  /** Shows up in pg_stat_activity, so a DBA can tell our sessions apart. */
  public static final String APPLICATION_NAME = "chatbot-roi-export";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public JdbcTarget {
    if (url == null || !url.startsWith("jdbc:postgresql://")) {
      throw new UserException("--url must look like jdbc:postgresql://HOST:PORT/DB (got '"
          + (url == null ? "" : redact(url)) + "')");
    }
    if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
      throw new UserException("--schema '" + schema + "': use a lower-case SQL identifier ([a-z_][a-z0-9_]*)");
    }
  }

  /** Credentials come from the environment only, never from the command line, so they stay out of `ps` and logs. */
  public static JdbcTarget fromEnvironment(String url, String schema, Map<String, String> env) {
    return new JdbcTarget(url, schema, blankToNull(env.get(USER_ENV)), blankToNull(env.get(PASSWORD_ENV)));
  }

  /** Connection properties for both the driver-side transaction and Spark's executors. */
  public Properties properties() {
    Properties p = new Properties();
    p.setProperty("driver", "org.postgresql.Driver");
    p.setProperty("ApplicationName", APPLICATION_NAME);
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  /** The URL without its query string, which may carry a password; what we print. */
  public String displayUrl() {
    return redact(url);
  }

  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }

  /** Never print the password, even by accident through a record's toString. */
  @Override
  public String toString() {
    return "JdbcTarget[" + displayUrl() + ", schema=" + schema + ", user=" + user + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
