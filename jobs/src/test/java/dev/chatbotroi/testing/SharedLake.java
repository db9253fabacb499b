package dev.chatbotroi.testing;

import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One small generated lake per test JVM, with its ingested warehouse and a full run of it made once
 * and kept read-only: tests copy a warehouse instead of running the pipeline again; grain: one JVM.
 * Six weeks across two months (2 March to 12 April 2026), three conversations a day, seed 9.
 */
public final class SharedLake {
  private SharedLake() {}

  public static final LocalDate START = LocalDate.parse("2026-03-02");
  public static final int DAYS = 42;

  private static Path root;
  private static Path lake;
  private static Path ingested;
  private static Path reference;
  private static Map<String, List<String>> exports;
  private static Map<String, List<String>> ingestedRows;
  private static LakeGenerator.Summary summary;

  /** The lake: generated on first use, never written to afterwards. */
  public static synchronized Path lake() {
    if (lake == null) {
      try {
        root = Files.createTempDirectory("chatbot-roi-shared-lake");
        lake = root.resolve("lake");
        summary = LakeGenerator.generate(lake, new LakeGenerator.Options(START, DAYS, 3, 9L));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> Files2.deleteQuietly(root)));
    }
    return lake;
  }

  public static synchronized LakeGenerator.Summary summary() {
    lake();
    return summary;
  }

  /** A copy, in {@code dir}, of the warehouse after ingesting the lake and nothing else. */
  public static Path ingestedCopy(Path dir) {
    return copy(ingested(), dir);
  }

  /** The tables ingest wrote into the ingested warehouse, as {@link Runs#rows} gives them. */
  public static synchronized Map<String, List<String>> ingestedRows() {
    if (ingestedRows == null) {
      ingestedRows = Runs.rows(new Tables(TestSpark.session(), ingested().toString()), Runs.INGEST_OUTPUTS);
    }
    return ingestedRows;
  }

  private static synchronized Path ingested() {
    if (ingested == null) {
      ingested = root(lake()).resolve("ingested");
      Runs.pipeline(lake, ingested, null, Pipeline.INGEST, TestSpark.settings());
    }
    return ingested;
  }

  /** A copy, in {@code dir}, of the warehouse after a full `run` of the lake. */
  public static Path referenceCopy(Path dir) {
    referenceExports();
    return copy(reference, dir);
  }

  /** Every exported table of the full run, as {@link Runs#exported} gives them. */
  public static synchronized Map<String, List<String>> referenceExports() {
    if (reference == null) {
      reference = root(lake()).resolve("reference");
      Tables t = Runs.pipeline(lake, reference);
      exports = Runs.exported(t);
    }
    return exports;
  }

  private static Path root(Path lake) {
    return lake.getParent();
  }

  /** A plain file copy of a warehouse: Delta keeps relative paths, so the copy is a warehouse of its own. */
  public static Path copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return to;
  }
}
