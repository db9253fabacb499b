package dev.chatbotroi.ops;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.SharedLake;
import dev.chatbotroi.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `erase --email`: the person is gone from every table, and the metrics equal a run on a lake without them. */
@org.junit.jupiter.api.Tag("pipeline")
class EraseTest {

  @TempDir Path dir;

  static final LocalDate START = LocalDate.parse("2026-03-02");

  /** A whole-token match of any id (not inside a longer id). */
  static Pattern tokens(Set<String> ids) {
    List<String> q = new ArrayList<>();
    ids.forEach(i -> q.add(Pattern.quote(i)));
    String t = "[A-Za-z0-9_.@\\-]";
    return Pattern.compile("(?<!" + t + ")(" + String.join("|", q) + ")(?!" + t + ")");
  }

  @Test
  void erasedEverywhereAndMetricsEqualALakeWithoutThePerson() throws IOException {
    Path lake = SharedLake.lake();
    Path whPath = SharedLake.referenceCopy(dir.resolve("wh"));
    Tables wh = new Tables(TestSpark.session(), whPath.toString());
    SparkSession spark = TestSpark.session();

    // the chatbot lead with conversations whose first trace is the latest: earlier periods stay untouched
    Row pick = wh.read(dev.chatbotroi.common.EventsTable.TABLE)
        .where(col("lead_id").isNotNull().and(col("event_name").equalTo("lead_captured_chat")))
        .select("lead_id", "anonymous_id").distinct()
        .join(wh.read(dev.chatbotroi.common.EventsTable.TABLE).groupBy("anonymous_id")
            .agg(org.apache.spark.sql.functions.min("event_date").as("first")), "anonymous_id")
        .orderBy(col("first").desc(), col("lead_id")).first();
    String leadId = pick.getString(pick.fieldIndex("lead_id"));
    LocalDate first = ((java.sql.Date) pick.getAs("first")).toLocalDate();
    String email = null;
    for (String line : Files.readAllLines(lake.resolve("crm/leads.csv"))) {
      String[] f = line.split(",");
      if (f[0].equals(leadId)) {
        email = f[3];
      }
    }
    assertTrue(email != null && email.contains("@"), "lead " + leadId + " has an address in leads.csv");
    String hash = Pii.hash(TestSpark.HASH_KEY, email);

    // the person as the test sees them: lead, hash, visitors that carried the lead, their conversations
    Set<String> ids = new TreeSet<>(Set.of(leadId, hash));
    for (Row r : wh.read(dev.chatbotroi.common.EventsTable.TABLE)
        .where(col("lead_id").equalTo(leadId).or(col("user_id").equalTo(leadId)).or(col("email_hash").equalTo(hash)))
        .select("anonymous_id").distinct().collectAsList()) {
      ids.add(r.getString(0));
    }
    for (Row r : wh.read(dev.chatbotroi.common.EventsTable.TABLE).where(col("anonymous_id").isin(ids.toArray())
        .and(col("conversation_id").isNotNull())).select("conversation_id").distinct().collectAsList()) {
      ids.add(r.getString(0));
    }
    assertTrue(ids.size() >= 4, "lead, hash, a visitor and a conversation: " + ids);
    Pattern person = tokens(ids);
    List<String> before = wh.read(MetricsTable.TABLE).where(col("period_start").lt(java.sql.Date.valueOf(first)))
        .collectAsList().stream().map(Row::toString).sorted().toList();

    // the address in another spelling: the hash is of the trimmed, lower-cased address
    Runs.Outcome o = Runs.main("erase", "--warehouse", whPath.toString(), "--email",
        "  " + email.toUpperCase(Locale.ROOT) + " ", "--master", "local[2]",
        "--set", "pii.hash-key=" + TestSpark.HASH_KEY, "--set", "spark.shuffle-partitions=2");
    assertEquals(0, o.code(), o.out() + o.err());

    // 1. no table of the warehouse holds any of the person's ids, hash or address
    wh = new Tables(TestSpark.session(), whPath.toString());
    spark = TestSpark.session();
    List<String> tables;
    try (Stream<Path> s = Files.list(whPath)) {
      tables = s.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).map(p -> p.getFileName().toString())
          .sorted().toList();
    }
    assertTrue(tables.containsAll(List.of("events", "conversations", "quarantine", "leads", "deals", "tickets",
        "attribution_credits", "attribution_states", "attribution_paths", "metrics", "job_runs")), tables.toString());
    for (String t : tables) {
      for (Row r : spark.read().format("delta").load(whPath.resolve(t).toString()).collectAsList()) {
        String text = r.toString();
        assertFalse(person.matcher(text).find() || text.toLowerCase(Locale.ROOT).contains(email.toLowerCase(Locale.ROOT)),
            t + " still holds the person: " + text);
      }
    }
    List<Row> runs = Runs.jobRuns(wh);
    Row last = runs.get(runs.size() - 1);
    assertEquals(List.of("erase", "success"), List.of(last.getAs("command"), last.getAs("status")));

    // 2. periods before the person's first trace are as they were
    List<String> after = wh.read(MetricsTable.TABLE).where(col("period_start").lt(java.sql.Date.valueOf(first)))
        .collectAsList().stream().map(Row::toString).sorted().toList();
    assertFalse(before.isEmpty(), "some periods precede the person");
    assertEquals(before.stream().filter(r -> untouched(r, first)).toList(),
        after.stream().filter(r -> untouched(r, first)).toList());

    // 3. every table equals a clean run on the lake without the person's lines
    Path without = dir.resolve("lake-without");
    String lowerEmail = email.trim().toLowerCase(Locale.ROOT);
    try (Stream<Path> s = Files.walk(lake)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Path target = without.resolve(lake.relativize(f));
        Files.createDirectories(target.getParent());
        if (f.getFileName().toString().startsWith(".")) {
          continue; // .crc side files would no longer match
        }
        boolean gz = f.getFileName().toString().endsWith(".gz");
        byte[] bytes = Files.readAllBytes(f);
        if (gz) {
          bytes = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
        }
        // byte-preserving: the lake holds invalid UTF-8 on purpose
        StringBuilder kept = new StringBuilder();
        for (String line : new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1)) {
          if (!person.matcher(line).find() && !line.toLowerCase(Locale.ROOT).contains(lowerEmail)) {
            kept.append(line).append('\n');
          }
        }
        byte[] out = kept.substring(0, Math.max(0, kept.length() - 1)).getBytes(StandardCharsets.ISO_8859_1);
        if (gz) {
          java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
          try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
            z.write(out);
          }
          out = b.toByteArray();
        }
        Files.write(target, out);
      }
    }
    Tables clean = Runs.pipeline(without, dir.resolve("wh-clean"));
    var expected = Runs.exported(clean);
    var actual = Runs.exported(wh);
    assertEquals(expected.keySet(), actual.keySet());
    for (String t : expected.keySet()) {
      // quarantine rows name their file, which lives in the other lake folder
      List<String> e = expected.get(t).stream()
          .map(r -> r.replace(without.toAbsolutePath().toString(), lake.toAbsolutePath().toString())).sorted().toList();
      List<String> a = actual.get(t);
      List<String> missing = e.stream().filter(r -> !a.contains(r)).toList();
      List<String> extra = a.stream().filter(r -> !e.contains(r)).toList();
      assertEquals(e, a, t + ": missing " + missing + " extra " + extra);
    }
  }

  /** A metric row (as text) of a day, week or month that ends before {@code first}. */
  static boolean untouched(String row, LocalDate first) {
    String[] f = row.substring(1).split(",");
    LocalDate start = LocalDate.parse(f[1]);
    LocalDate end = switch (f[0]) {
      case "day" -> start;
      case "week" -> start.plusDays(6);
      default -> start.plusMonths(1).minusDays(1);
    };
    return end.isBefore(first);
  }
}
