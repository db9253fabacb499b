package dev.chatbotroi.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for one test class: initdb into a temporary folder, pg_ctl start on
 * 127.0.0.1 and a spare port, password authentication, stopped and deleted on close (or JVM exit).
 * Without PostgreSQL installed the test is skipped with a message, unless CHATBOT_ROI_REQUIRE_POSTGRES
 * is set (as .ci/run does), where it fails.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "chatbot";
  public static final String DATABASE = "roi";

  private final Path bin;
  private final Path home;
  private final Path data;
  private final int port;
  private final String password = "pw-" + UUID.randomUUID();
  private final boolean asPostgres;
  private final Thread hook = new Thread(this::stopQuietly, "stop-test-postgres");

  private PostgresServer(Path bin) throws IOException, InterruptedException {
    this.bin = bin;
    this.asPostgres = "root".equals(System.getProperty("user.name")); // initdb refuses to run as root
    this.home = Files.createTempDirectory(Path.of("/tmp"), "chatbot-roi-pg-");
    this.data = home.resolve("data");
    Path pwfile = home.resolve("pw");
    Files.writeString(pwfile, password + "\n");
    if (asPostgres) {
      UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(home, postgres);
      Files.setOwner(pwfile, postgres);
    }
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    this.port = sparePort();
    exec(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
        "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
    Runtime.getRuntime().addShutdownHook(hook);
    exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + home
            + " -c fsync=off -c max_connections=40", "start"));
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IOException("cannot create the test database: " + e.getMessage(), e);
    }
  }

  /** Starts a server, or skips the calling test with a visible message when PostgreSQL is not installed. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = findBin();
    if (bin == null) {
      String msg = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
          + " (Debian: apt-get install postgresql); set PG_BIN to their folder";
      if (System.getenv("CHATBOT_ROI_REQUIRE_POSTGRES") != null) {
        throw new IllegalStateException(msg);
      }
      System.out.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
    return new PostgresServer(bin);
  }

  private static Path findBin() throws IOException {
    String env = System.getenv("PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
      return Path.of(env);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> versionOf(b.getParent()))).orElse(null);
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public String password() {
    return password;
  }

  public Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  private Connection connect(String db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, p);
  }

  private void exec(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String log = Files.exists(home.resolve("log")) ? Files.readString(home.resolve("log")) : "";
      throw new IOException(String.join(" ", command) + " failed: " + output + log);
    }
  }

  private static int sparePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void stopQuietly() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("could not stop the test PostgreSQL in " + data + ": " + e.getMessage());
    }
    Files2.deleteQuietly(home);
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and the hook runs anyway
    }
  }
}
