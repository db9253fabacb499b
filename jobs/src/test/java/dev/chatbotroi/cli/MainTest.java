package dev.chatbotroi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.testing.Files2;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's contract for bad input: a non-zero exit and one clear line, no stack trace (README: the command line). */
class MainTest {

  @TempDir Path dir;

  record Outcome(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertOneClearLine(Outcome o, String... expectedParts) {
    assertNotEquals(0, o.code(), "exit code");
    assertEquals(1, o.errLines().size(), "exactly one line on stderr: " + o.err());
    String line = o.errLines().get(0);
    assertTrue(line.startsWith("chatbot-roi: "), line);
    for (String part : expectedParts) {
      assertTrue(line.contains(part), "'" + part + "' missing from: " + line);
    }
    assertFalse(o.err().contains("\tat ") || o.err().contains("Exception"), "no stack trace: " + o.err());
  }

  @Test
  void missingLakeFolder() {
    Outcome o = run("ingest", "--lake", dir.resolve("nope").toString(), "--warehouse", dir.resolve("wh").toString());
    assertOneClearLine(o, "--lake", "nope", "folder not found");
  }

  @Test
  void aStageWithoutItsWarehouse() {
    for (String stage : List.of("conversations", "metrics", "attribute")) {
      assertOneClearLine(run(stage, "--warehouse", dir.resolve("nope").toString()), "--warehouse", "folder not found");
    }
  }

  @Test
  void badDate() {
    Files2.write(dir.resolve("lake/events/a.ndjson"), "{}");
    Outcome o = run("run", "--lake", dir.resolve("lake").toString(), "--warehouse", dir.resolve("wh").toString(),
        "--from", "2026-13-01", "--to", "2026-12-31");
    assertOneClearLine(o, "--from", "'2026-13-01' is not a date of the form YYYY-MM-DD");
  }

  @Test
  void fromAfterTo() {
    Files2.write(dir.resolve("lake/events/a.ndjson"), "{}");
    Outcome o = run("run", "--lake", dir.resolve("lake").toString(), "--warehouse", dir.resolve("wh").toString(),
        "--from", "2026-04-02", "--to", "2026-04-01");
    assertOneClearLine(o, "--from 2026-04-02 is after --to 2026-04-01");
  }

  @Test
  void invalidSettingNamesItsKey() {
    Files2.write(dir.resolve("lake/events/a.ndjson"), "{}");
    Outcome o = run("ingest", "--lake", dir.resolve("lake").toString(), "--warehouse", dir.resolve("wh").toString(),
        "--set", "csat.positive-min=9");
    assertOneClearLine(o, "csat.positive-min", "9");
  }

  @Test
  void invalidValueInAConfFileNamesItsKey() throws Exception {
    Files2.write(dir.resolve("lake/events/a.ndjson"), "{}");
    Path conf = Files2.write(dir.resolve("bad.conf"), "reporting { timezone = \"Mars/Olympus\" }");
    Outcome o = run("ingest", "--lake", dir.resolve("lake").toString(), "--warehouse", dir.resolve("wh").toString(),
        "--conf", conf.toString());
    assertOneClearLine(o, "reporting.timezone", "Mars/Olympus");
    assertFalse(Files.exists(dir.resolve("wh")), "nothing written on a settings error");
  }

  @Test
  void missingHashKeyOutsideTheDemo() {
    Files2.write(dir.resolve("lake/events/a.ndjson"), "{}");
    Outcome o = run("ingest", "--lake", dir.resolve("lake").toString(), "--warehouse", dir.resolve("wh").toString(),
        "--set", "pii.hash-key=\"\"");
    assertOneClearLine(o, "pii.hash-key", "CHATBOT_ROI_PII_KEY");
  }

  @Test
  void unknownOptionAndMissingRequiredOption() {
    assertOneClearLine(run("ingest", "--lake"), "--lake");
    assertOneClearLine(run("export", "--warehouse", dir.toString()), "--out");
    assertOneClearLine(run("export", "--warehouse", dir.toString(), "--format", "jdbc"), "--url");
    assertOneClearLine(run("export", "--warehouse", dir.toString(), "--format", "jdbc", "--url",
        "jdbc:postgresql://127.0.0.1:1/x", "--schema", "Bad-Name"), "--schema");
    assertOneClearLine(run("export", "--warehouse", dir.toString(), "--format", "xml"), "csv, parquet, jdbc");
    assertOneClearLine(run("frobnicate"), "frobnicate");
  }

  @Test
  void helpWorksAtEveryLevel() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"run", "--help"},
        new String[] {"ingest", "--help"}, new String[] {"generate", "--help"},
        new String[] {"export", "--help"}, new String[] {"demo", "--help"},
        new String[] {"conversations", "--help"}, new String[] {"metrics", "--help"},
        new String[] {"attribute", "--help"})) {
      Outcome o = run(args);
      assertEquals(0, o.code(), String.join(" ", args));
      assertTrue(o.out().contains("Usage: chatbot-roi"), o.out());
    }
  }
}
