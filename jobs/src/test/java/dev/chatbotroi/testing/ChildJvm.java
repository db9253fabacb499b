package dev.chatbotroi.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts a `java` child process on the test classpath with the JVM flags Spark needs on Java 17. */
public final class ChildJvm {
  private ChildJvm() {}

  /** The flags of the root pom's spark.jvm.flags, passed by surefire/failsafe as a system property. */
  public static List<String> jvmFlags() {
    String flags = System.getProperty("chatbotroi.test.jvmFlags", "");
    return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isBlank()).toList();
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java <flags> <props> -cp <test classpath> <main> <args>}, output to {@code log}. */
  public static Process start(List<String> props, String mainClass, List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmFlags());
    cmd.add("-Xmx1g");
    cmd.addAll(props);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Kills the process and waits for it, whatever state it is in. */
  public static void kill(Process p) {
    if (p == null) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String pathSeparator() {
    return File.pathSeparator;
  }
}
