package dev.chatbotroi.cli;

import dev.chatbotroi.common.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The folder checks and clean-ups the commands do before they start Spark. */
final class Folders {
  private Folders() {}

  static void requireDir(Path dir, String option) {
    if (!Files.isDirectory(dir)) {
      throw new UserException(option + " " + dir + ": folder not found");
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
