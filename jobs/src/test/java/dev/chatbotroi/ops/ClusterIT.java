package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatbotroi.common.OutputTables;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.export.CsvExport;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.ChildJvm;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` submitted through scripts/submit to a real Spark standalone cluster (a master and two
 * one-core workers, all child JVMs on 127.0.0.1) gives the CSV exports of a local run.
 */
class ClusterIT {

  @TempDir Path dir;

  private final List<Process> started = new ArrayList<>();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Spark's runtime jars: the test classpath without our code, what the shaded jar carries, and test tools. */
  static List<Path> sparkJars() {
    List<Path> jars = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      if (e.endsWith(".jar") && !name.matches("(delta-|picocli|config-|junit|opentest4j|apiguardian|surefire|failsafe|chatbot-roi).*")) {
        jars.add(Path.of(e));
      }
    }
    return jars;
  }

  private Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private static void awaitLog(Process p, Path log, String text, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (!p.isAlive()) {
        fail(what + " stopped: " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        fail(what + " not ready in 3 minutes: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  @Test
  void runOnAStandaloneClusterEqualsALocalRun() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent(); // failsafe runs in jobs/
    Path jar = root.resolve("jobs/target/chatbot-roi-0.1.0.jar");
    assertTrue(Files.isRegularFile(jar), "the shaded jar is built before the integration tests: " + jar);

    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 5, 6, 17L));

    // a Spark home whose jars/ holds the runtime jars, for the workers' executors
    Path home = root.resolve("jobs/target/spark-home");
    deleteRecursively(home);
    Files.createDirectories(home.resolve("jars"));
    List<Path> jars = sparkJars();
    for (Path j : jars) {
      Path link = home.resolve("jars").resolve(j.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, j);
      }
    }
    String classpath = jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_NO_DAEMONIZE", "1");
    Thread cleanup = new Thread(this::stopAll);
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      int port = freePort();
      String master = "spark://127.0.0.1:" + port;
      List<String> java = new ArrayList<>(List.of(ChildJvm.java()));
      java.addAll(ChildJvm.jvmFlags());
      java.addAll(List.of("-Xmx512m", "-cp", classpath));

      List<String> m = new ArrayList<>(java);
      m.addAll(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + port,
          "--webui-port", "" + freePort()));
      Path masterLog = dir.resolve("master.log");
      Process mp = start(m, env, masterLog);
      awaitLog(mp, masterLog, "I have been elected leader", "the master");
      for (int i = 1; i <= 2; i++) {
        List<String> w = new ArrayList<>(java);
        w.addAll(List.of("org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
            "--cores", "1", "--memory", "1g", "--webui-port", "" + freePort(),
            "--work-dir", dir.resolve("work-" + i).toString()));
        Path wlog = dir.resolve("worker-" + i + ".log");
        awaitLog(start(w, env, wlog), wlog, "Successfully registered with master", "worker " + i);
      }

      Path wh = dir.resolve("wh-cluster");
      List<String> submit = List.of(root.resolve("scripts/submit").toString(),
          "--master", master, "--executor-memory", "1g", "--executor-cores", "1", "--total-executor-cores", "2",
          "--conf", "spark.sql.shuffle.partitions=2",
          "--", "run", "--lake", lake.toString(), "--warehouse", wh.toString(),
          "--set", "pii.hash-key=" + TestSpark.HASH_KEY, "--set", "spark.shuffle-partitions=2");
      Path submitLog = dir.resolve("submit.log");
      Map<String, String> submitEnv = new java.util.HashMap<>(env);
      submitEnv.remove("SPARK_HOME"); // no distribution: scripts/submit runs SparkSubmit from the classpath
      submitEnv.put("CHATBOT_ROI_PROVIDED_CLASSPATH", classpath);
      submitEnv.put("CHATBOT_ROI_JVM_FLAGS", String.join(" ", ChildJvm.jvmFlags()));
      Process sp = start(submit, submitEnv, submitLog);
      assertTrue(sp.waitFor(15, TimeUnit.MINUTES), "the submitted run did not finish in 15 minutes");
      String out = Files.readString(submitLog);
      assertEquals(0, sp.exitValue(), out);
      assertTrue(out.contains("attribute: "), out);
      assertTrue(Files.readString(masterLog).contains("Registered app chatbot-roi run"), "ran on the cluster");

      Tables local = Runs.pipeline(lake, dir.resolve("wh-local"));
      CsvExport.write(local, OutputTables.EXPORTED, dir.resolve("csv-local").toString());
      CsvExport.write(new Tables(TestSpark.session(), wh.toString()), OutputTables.EXPORTED,
          dir.resolve("csv-cluster").toString());
      Map<String, List<String>> expected = Runs.csvExports(dir.resolve("csv-local"));
      assertTrue(expected.containsKey("metrics.csv") && expected.get("metrics.csv").size() > 10);
      assertEquals(expected, Runs.csvExports(dir.resolve("csv-cluster")));
    } finally {
      stopAll();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  private void stopAll() {
    for (Process p : started) {
      ChildJvm.kill(p);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
