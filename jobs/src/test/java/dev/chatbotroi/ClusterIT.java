package dev.chatbotroi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.cli.Main;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real Spark standalone cluster (a master and two workers started from the Maven classpath on
 * 127.0.0.1) runs the shaded jar through scripts/submit; its exports equal a local run's. Needs the
 * jar, so it runs in `mvn verify` (failsafe) after `package`.
 */
class ClusterIT {
  private static final Path JOBS = Path.of("").toAbsolutePath();
  private static final Path TARGET = JOBS.resolve("target");
  private static final Path BASE = TARGET.resolve("cluster-it");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  /** The demo's sample lake, small: a week of 20 conversations a day. */
  private static final String[] SAMPLE = {"--days", "7", "--conversations-per-day", "20", "--seed", "3"};

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly); // executors the workers launched
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    started.clear();
  }

  @Test
  void standaloneClusterRunEqualsALocalRun() throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything)); // even if the JVM is killed politely
    Files2.deleteQuietly(BASE);
    Files.createDirectories(BASE);
    List<String> classpath = Arrays.asList(Files.readString(TARGET.resolve("runtime-classpath.txt")).trim().split(":"));
    Path sparkHome = sparkHome(classpath);
    int masterPort = sparePort();
    String master = "spark://127.0.0.1:" + masterPort;
    Path masterLog = BASE.resolve("master.log");
    start(sparkHome, classpath, masterLog, "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(sparePort()));
    awaitPort(masterPort, masterLog);
    for (int i = 1; i <= 2; i++) {
      Path log = BASE.resolve("worker-" + i + ".log");
      start(sparkHome, classpath, log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--cores", "1", "--memory", "1500m", "--webui-port", String.valueOf(sparePort()),
          "--work-dir", BASE.resolve("work-" + i).toString(), master);
      awaitLine(log, "Successfully registered with master");
    }

    // demo is generate, run and export in one application: one driver and one set of executors
    // instead of two (a run, then an export), about a minute less; the same pipeline and CsvExport
    // as the run and export commands
    Path cluster = BASE.resolve("cluster");
    submit(master, concat(new String[] {"demo", "--dir", cluster.toString()}, SAMPLE));
    // each worker's work dir holds a folder per application that ran an executor there: one
    // application (the run and the export share a session), with an executor on both workers
    assertEquals(List.of(1, 1), applicationsPerWorker(), "application folders in each worker's work dir");

    Path local = BASE.resolve("local");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    assertEquals(0, Main.execute(concat(new String[] {"demo", "--dir", local.toString(), "--master", "local[2]",
        "--set", "spark.shuffle-partitions=4"}, SAMPLE), quiet, quiet));

    for (TableSchema t : OutputTables.EXPORTED) {
      if (t.equals(QuarantineTable.TABLE) || t.name().equals("job_runs")) {
        continue; // they hold run ids and times; quarantine is compared without them below
      }
      assertEquals(sortedLines(local.resolve("csv/" + t.name() + ".csv")),
          sortedLines(cluster.resolve("csv/" + t.name() + ".csv")), t.name());
    }
    Tables localTables = new Tables(TestSpark.session(), local.resolve("warehouse").toString());
    Tables clusterTables = new Tables(TestSpark.session(), cluster.resolve("warehouse").toString());
    assertEquals(DataFrameAssert.sortedText(comparable(localTables.read(QuarantineTable.TABLE))),
        DataFrameAssert.sortedText(comparable(clusterTables.read(QuarantineTable.TABLE))));
    assertTrue(sortedLines(cluster.resolve("csv/metrics.csv")).size() > 100, "the cluster wrote metrics");
  }

  /** Quarantine rows without their run id and time, and with file paths relative to the lake (the two demos' lakes are in different folders). */
  private static Dataset<Row> comparable(Dataset<Row> quarantine) {
    return quarantine.drop(QuarantineTable.RUN_ID, QuarantineTable.INGESTED_AT).withColumn(QuarantineTable.SOURCE_FILE,
        regexp_replace(col(QuarantineTable.SOURCE_FILE), "^.*/lake/", "lake/"));
  }

  /** A folder shaped like a Spark distribution: the Worker launches executors with SPARK_HOME/jars on the classpath. */
  private static Path sparkHome(List<String> classpath) throws IOException {
    Path jars = BASE.resolve("spark-home/jars");
    Files.createDirectories(jars);
    for (String entry : classpath) {
      Path jar = Path.of(entry);
      if (entry.endsWith(".jar") && !Files.exists(jars.resolve(jar.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
      }
    }
    return jars.getParent();
  }

  private Map<String, String> sparkEnv(ProcessBuilder pb, Path sparkHome) {
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return env;
  }

  private void start(Path sparkHome, List<String> classpath, Path log, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    cmd.addAll(List.of("-Xmx512m", "-cp", String.join(":", classpath), mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    sparkEnv(pb, sparkHome);
    started.add(pb.start());
  }

  private void submit(String master, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(JOBS.resolve("../scripts/submit").normalize().toString(),
        "--master", master, "--executor-memory", "1g", "--total-executor-cores", "2",
        "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.ui.enabled=false"));
    cmd.addAll(List.of(command));
    Path log = BASE.resolve("submit-" + command[0] + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = sparkEnv(pb, BASE.resolve("spark-home"));
    env.put("CHATBOT_ROI_JAVA_OPTS", "-Xmx1g");
    env.put("CHATBOT_ROI_JAR", TARGET.resolve("chatbot-roi-0.1.0.jar").toString());
    Process p = pb.start();
    started.add(p);
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    assertTrue(done && p.exitValue() == 0, "scripts/submit " + command[0] + " failed:\n" + tail(log));
  }

  private static List<String> jvmFlags() throws IOException {
    return Arrays.asList(Files.readString(TARGET.resolve("jvm-flags.txt")).trim().split("\\s+"));
  }

  private static List<Integer> applicationsPerWorker() throws IOException {
    List<Integer> apps = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Path work = BASE.resolve("work-" + i);
      try (Stream<Path> s = Files.isDirectory(work) ? Files.list(work) : Stream.empty()) {
        apps.add((int) s.filter(p -> p.getFileName().toString().startsWith("app-")).count());
      }
    }
    return apps;
  }

  private static void awaitPort(int port, Path log) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("the master did not open port " + port + ":\n" + tail(log));
  }

  private static void awaitLine(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("'" + text + "' never appeared in " + log + ":\n" + tail(log));
  }

  private static List<String> sortedLines(Path csv) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    lines.sort(null);
    return lines;
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int sparePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
