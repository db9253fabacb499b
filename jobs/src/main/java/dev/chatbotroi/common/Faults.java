package dev.chatbotroi.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Named fault points for crash tests: a no-op unless the system property {@code chatbotroi.fault}
 * is set to {@code <point>[@<n>]=throw|pause}. {@code throw} fails the command there; {@code pause}
 * writes the file named by {@code chatbotroi.fault.marker} and waits, so a test can SIGKILL the
 * process at that exact point. Grain: one process.
 */
public final class Faults {
  private Faults() {}

  public static final String PROPERTY = "chatbotroi.fault";
  public static final String MARKER = "chatbotroi.fault.marker";

  private static final Map<String, Integer> SEEN = new HashMap<>();
  private static final Map<String, Runnable> HOOKS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Runs {@code action} the next time {@code point} is reached in this process: a test does what a
   * concurrent run would do at exactly that moment.
   */
  public static void hook(String point, Runnable action) {
    HOOKS.put(point, action);
  }

  /** Marks a point; acts only when the property names it (and its n-th occurrence, default the first). */
  public static void point(String name) {
    Runnable hook = HOOKS.remove(name);
    if (hook != null) {
      hook.run(); // once: the hook may itself pass this point
    }
    String spec = System.getProperty(PROPERTY);
    if (spec == null) {
      return;
    }
    int eq = spec.lastIndexOf('=');
    String where = spec.substring(0, eq);
    String action = spec.substring(eq + 1);
    int at = where.lastIndexOf('@');
    String target = at < 0 ? where : where.substring(0, at);
    int nth = at < 0 ? 1 : Integer.parseInt(where.substring(at + 1));
    if (!target.equals(name)) {
      return;
    }
    int seen;
    synchronized (SEEN) {
      seen = SEEN.merge(name, 1, Integer::sum);
    }
    if (seen != nth) {
      return;
    }
    if (action.equals("throw")) {
      throw new IllegalStateException("injected fault at " + name);
    }
    try {
      String marker = System.getProperty(MARKER);
      if (marker != null) {
        Files.writeString(Path.of(marker), name);
      }
      Thread.sleep(Long.MAX_VALUE); // until the test kills the process
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Forgets occurrence counts (tests that inject several faults in one JVM). */
  public static void reset() {
    synchronized (SEEN) {
      SEEN.clear();
    }
    HOOKS.clear();
  }
}
