package dev.chatbotroi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The shaded production jar, entry by entry: no benchmark, test-only or DuckDB entries, and the job's own present. */
class JarContentsIT {
  private static final Path TARGET = Path.of("").toAbsolutePath().resolve("target");

  /** Prefixes no entry may start with: the bench module's code, DuckDB, test code. */
  private static final List<String> FORBIDDEN_PREFIXES = List.of("dev/chatbotroi/bench/", "org/duckdb/",
      "dev/chatbotroi/testing/", "dev/chatbotroi/export/DataDictionary");

  /** Entries that only the bench module or the tests use. */
  private static final List<String> FORBIDDEN_ENTRIES = List.of("bench/duckdb_peer.sql", "dictionary.conf");

  /** Entries the jar must have, so that an empty or wrong jar cannot pass. */
  private static final List<String> REQUIRED_ENTRIES = List.of("dev/chatbotroi/cli/Main.class",
      "presets/segment.conf", "reference.conf");

  @Test
  void shadedJarHoldsTheJobAndNothingOfTheBenchmark() throws IOException {
    Path jar = shadedJar();
    List<String> names = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      f.stream().map(ZipEntry::getName).forEach(names::add);
    }
    List<String> forbidden = names.stream()
        .filter(n -> FORBIDDEN_ENTRIES.contains(n) || FORBIDDEN_PREFIXES.stream().anyMatch(n::startsWith))
        .toList();
    assertEquals(List.of(), forbidden, jar + " holds entries that belong to the bench module or the tests");
    for (String required : REQUIRED_ENTRIES) {
      assertTrue(names.contains(required), jar + " lacks " + required);
    }
    // Delta is shaded in (Spark is provided): without it the jar cannot run on a plain Spark
    assertTrue(names.stream().anyMatch(n -> n.startsWith("io/delta/")), jar + " lacks Delta (io/delta/)");
  }

  /** target/chatbot-roi-VERSION.jar: the shaded jar; the test-jar and shade's original- copy are not it. */
  private static Path shadedJar() throws IOException {
    List<Path> jars;
    try (Stream<Path> s = Files.list(TARGET)) {
      jars = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith("chatbot-roi-") && n.endsWith(".jar") && !n.endsWith("-tests.jar");
      }).toList();
    }
    assertEquals(1, jars.size(), "one shaded jar in " + TARGET + " (run after package), found " + jars);
    return jars.get(0);
  }
}
