package dev.chatbotroi.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the synthetic lake: deterministic bytes, the contract's layout, realistic rates, every flaw. */
class LakeGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LakeGenerator.Options SMALL =
      new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 14, 150, 7L);
  private static final long DAY = 86_400_000L;

  private static final Set<String> EVENT_NAMES = Set.of("chat_impression", "chat_opened", "chat_engaged",
      "user_message", "bot_message", "bot_fallback", "agent_message", "bot_handoff_human", "bot_goal_completed",
      "bot_resolved", "ticket_deflected", "bot_knowledge_gap", "csat_response", "lead_captured_chat",
      "meeting_booked", "purchase_after_chat", "chat_closed", "marketing_touch", "experiment_assigned");
  private static final Set<String> NOT_CONVERSATION = Set.of("chat_impression", "marketing_touch",
      "experiment_assigned");
  private static final Pattern TS = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.(\\d{1,9}))?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern CRM_LOCAL = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}:\\d{2})?");

  /** Every quarantine reason of docs/ingest.md and each way of getting there that the lake must contain. */
  private static final Set<String> EXPECTED_BAD = new TreeSet<>(List.of(
      "malformed_json/truncated", "malformed_json/array",
      "missing_field/event_id/absent", "missing_field/event_id/null", "missing_field/event_id/blank",
      "missing_field/event_name/absent", "missing_field/event_name/null", "missing_field/event_name/blank",
      "missing_field/event_ts/absent", "missing_field/event_ts/null", "missing_field/event_ts/blank",
      "missing_field/anonymous_id/absent", "missing_field/anonymous_id/null",
      "missing_field/anonymous_id/blank",
      "missing_field/channel/absent", "missing_field/channel/null", "missing_field/channel/blank",
      "missing_field/conversation_id/absent", "missing_field/conversation_id/null",
      "missing_field/conversation_id/blank",
      "unknown_event/Chat_Opened", "unknown_event/page_view",
      "bad_timestamp/space", "bad_timestamp/word", "bad_timestamp/impossible_date",
      "bad_timestamp/epoch_string", "bad_timestamp/epoch_fraction",
      "missing_property/bot_knowledge_gap.question", "missing_property/csat_response.score",
      "missing_property/lead_captured_chat.lead_id", "missing_property/purchase_after_chat.order_id",
      "missing_property/purchase_after_chat.revenue", "missing_property/marketing_touch.touch_channel",
      "bad_property/score_string", "bad_property/score_out_of_range", "bad_property/score_zero",
      "bad_property/score_fraction", "bad_property/useful_string", "bad_property/revenue_negative",
      "bad_property/revenue_string", "bad_property/currency_eur", "bad_property/properties_not_object"));

  private static final Set<String> EXPECTED_BAD_CRM = new TreeSet<>(List.of(
      "leads/missing_field/lead_id", "leads/bad_timestamp/created_at", "leads/bad_timestamp/mql_at",
      "leads/bad_property/meeting_qualified",
      "deals/missing_field/deal_id", "deals/bad_timestamp/created_at", "deals/bad_property/amount_unparseable",
      "deals/bad_property/amount_negative", "deals/bad_property/gross_profit_unparseable",
      "deals/bad_property/stage", "deals/bad_property/currency", "deals/bad_property/closed_at",
      "tickets/missing_field/ticket_id", "tickets/bad_timestamp/created_at",
      "tickets/bad_property/csat_out_of_range", "tickets/bad_property/csat_unparseable"));

  @TempDir
  static Path shared;
  private static LakeGenerator.Summary summary;
  private static Lake lake;

  @BeforeAll
  static void generateOnce() throws IOException {
    summary = LakeGenerator.generate(shared.resolve("lake"), SMALL);
    lake = Lake.read(shared.resolve("lake"));
  }

  // ------------------------------------------------------------------ determinism and layout

  @Test
  void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot(@TempDir Path tmp) throws IOException {
    LakeGenerator.Options options = new LakeGenerator.Options(LocalDate.parse("2026-01-30"), 6, 60, 99L);
    LakeGenerator.Summary a = LakeGenerator.generate(tmp.resolve("a"), options);
    LakeGenerator.Summary b = LakeGenerator.generate(tmp.resolve("b"), options);
    LakeGenerator.generate(tmp.resolve("c"), new LakeGenerator.Options(options.start(), 6, 60, 100L));
    assertEquals(a, b);
    Map<String, byte[]> first = files(tmp.resolve("a"));
    Map<String, byte[]> second = files(tmp.resolve("b"));
    Map<String, byte[]> other = files(tmp.resolve("c"));
    assertEquals(first.keySet(), second.keySet());
    for (String file : first.keySet()) {
      assertArrayEquals(first.get(file), second.get(file), file);
    }
    assertEquals(first.keySet(), other.keySet());
    String day = "events/dt=2026-01-30/part-00000.ndjson";
    assertFalse(Arrays.equals(first.get(day), other.get(day)), "another seed, other events");
    assertFalse(Arrays.equals(first.get("crm/leads.csv"), other.get("crm/leads.csv")), "another seed, other leads");
    assertFalse(Arrays.equals(first.get(SPEND), other.get(SPEND)), "another seed, other spend");
  }

  @Test
  void layoutFollowsTheContract() throws IOException {
    Path events = shared.resolve("lake/events");
    for (int d = 0; d < SMALL.days(); d++) {
      Path dir = events.resolve("dt=" + SMALL.start().plusDays(d));
      boolean gz = d % 5 == 4;
      assertTrue(Files.isRegularFile(dir.resolve(gz ? "part-00000.ndjson.gz" : "part-00000.ndjson")), dir.toString());
      assertFalse(Files.exists(dir.resolve(gz ? "part-00000.ndjson" : "part-00000.ndjson.gz")), dir.toString());
    }
    assertEquals(0, Files.size(events.resolve("_SUCCESS")));
    assertTrue(Files.isRegularFile(events.resolve("dt=2026-03-02/.part-00000.ndjson.crc")));
    try (Stream<Path> s = Files.list(events)) {
      assertEquals(SMALL.days() + 1, s.count(), "one folder per day plus _SUCCESS");
    }
    assertEquals("lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified",
        String.join(",", lake.leads.get(0)));
    assertEquals("deal_id,lead_id,contact_email,created_at,closed_at,stage,amount,gross_profit,currency",
        String.join(",", lake.deals.get(0)));
    assertEquals("ticket_id,created_at,anonymous_id,lead_id,conversation_id,intent,channel,csat_score",
        String.join(",", lake.tickets.get(0)));
    for (List<List<String>> file : List.of(lake.leads, lake.deals, lake.tickets)) {
      for (List<String> row : file) {
        assertEquals(file.get(0).size(), row.size(), String.join(",", row));
      }
    }
    assertTrue(lake.quotedCsvFields > 0, "some CSV field needs quotes");
  }

  @Test
  void optionsAreValidated(@TempDir Path tmp) {
    IllegalArgumentException days = assertThrows(IllegalArgumentException.class, () -> LakeGenerator.generate(
        tmp, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 0, 10, 1L)));
    assertEquals("--days must be at least 1, got 0", days.getMessage());
    IllegalArgumentException perDay = assertThrows(IllegalArgumentException.class, () -> LakeGenerator.generate(
        tmp, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 3, -2, 1L)));
    assertEquals("--conversations-per-day must be at least 1, got -2", perDay.getMessage());
    LakeGenerator.Options d = LakeGenerator.Options.defaults();
    assertEquals(new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 42, 200, 42L), d);
  }

  @Test
  void tinyLakeIsComplete(@TempDir Path tmp) throws IOException {
    LakeGenerator.Summary s = LakeGenerator.generate(tmp,
        new LakeGenerator.Options(LocalDate.parse("2026-12-31"), 1, 1, 3L));
    Lake tiny = Lake.read(tmp);
    assertEquals(1, s.conversations());
    assertEquals(s.eventLines(), tiny.lines);
    assertEquals(s.badLines(), tiny.badLines.size());
    assertTrue(tiny.crmBad.containsAll(EXPECTED_BAD_CRM), "every CRM flaw even in a one-day lake");
    assertEquals(EXPECTED_BAD_SPEND, spendRows(tmp).bad(), "every spend flaw even in a one-day lake");
  }

  // ------------------------------------------------------------------ counts and validity

  @Test
  void summaryMatchesTheFiles() {
    assertEquals(summary.eventLines(), lake.lines);
    assertEquals(summary.badLines(), lake.badLines.size());
    assertEquals(summary.conversations(), lake.conversations.size());
    assertEquals(SMALL.days() * SMALL.conversationsPerDay(), summary.conversations());
    assertEquals(summary.leads(), lake.validLeadIds.size());
    assertEquals(summary.deals(), lake.validDeals);
    assertEquals(summary.tickets(), lake.validTickets);
    double badShare = (double) summary.badLines() / summary.eventLines();
    assertTrue(badShare > 0.001 && badShare < 0.006, "bad lines ~0.3%: " + badShare);
    double duplicateShare = (double) lake.duplicateLines / summary.eventLines();
    assertTrue(duplicateShare > 0.005 && duplicateShare < 0.02, "duplicates ~1%: " + duplicateShare);
  }

  @Test
  void everyQuarantineReasonIsPresent() {
    Set<String> found = new TreeSet<>(lake.badLines.values());
    assertEquals(EXPECTED_BAD, found);
    assertEquals(EXPECTED_BAD_CRM, lake.crmBad);
  }

  @Test
  void everyEventNameAndTimestampFormIsPresent() {
    assertEquals(EVENT_NAMES, lake.countByName.keySet());
    Set<String> forms = new TreeSet<>(List.of("Z", "offset", "epoch_ms"));
    for (int k = 1; k <= 9; k++) {
      forms.add("fraction_" + k);
    }
    assertTrue(lake.eventTsForms.containsAll(forms), "event_ts forms " + lake.eventTsForms);
    assertTrue(lake.crmTsForms.containsAll(Set.of("Z", "offset", "date", "local_space", "local_t")),
        "CRM forms " + lake.crmTsForms);
  }

  @Test
  void theHoldoutAssignsBothArmsAndKeepsTheWidgetFromTheHoldout() {
    assertEquals(Set.of("bot_holdout"), lake.experiments);
    Map<String, Long> units = new TreeMap<>();
    Set<String> holdout = new HashSet<>();
    for (Map.Entry<String, String> e : lake.firstAssignment.entrySet()) {
      String variant = e.getValue().split("\\|")[0];
      units.merge(variant, 1L, Long::sum);
      // new visitors: first assigned without a user_id
      if (variant.equals("holdout") && e.getKey().startsWith("a:") && e.getValue().endsWith("|false")) {
        holdout.add(e.getKey().substring(2));
      }
    }
    assertEquals(Set.of("bot", "holdout"), units.keySet());
    double share = (double) units.get("holdout") / (units.get("bot") + units.get("holdout"));
    assertBetween("holdout share", share, 0.45, 0.55);
    assertTrue(lake.reassignments > 0, "some units are assigned again");
    assertTrue(lake.assignmentsWithUserId > 0, "logged-in visitors are assigned with their user_id");
    // a holdout visitor new to the site never sees the widget, so never chats
    assertTrue(holdout.size() > 100, "holdout visitors: " + holdout.size());
    assertEquals(0, lake.conversations.values().stream().filter(c -> holdout.contains(c.anon)).count());
    assertTrue(holdout.stream().noneMatch(lake.impressionVisitors::containsKey), "no impression in the holdout");
  }

  @Test
  void duplicatesAreDeliveredInTheSameAndTheNextFile() {
    assertTrue(lake.duplicatesSameFile > 0, "same file");
    assertTrue(lake.duplicatesOtherFile > 0, "next day's file");
    assertTrue(lake.duplicatedOrders > 0, "a purchase re-sent under a new event id");
  }

  // ------------------------------------------------------------------ realism

  @Test
  void ratesAreRealistic() {
    Stats s = lake.stats();
    assertBetween("engagement_rate", s.engagementRate(), 0.05, 0.12);
    assertBetween("goal_completion_rate", s.goalCompletionRate(), 0.20, 0.50);
    assertBetween("fallback_rate", s.fallbackRate(), 0.05, 0.20);
    assertBetween("handoff_rate", s.handoffRate(), 0.15, 0.40);
    assertBetween("knowledge_gap_rate", s.knowledgeGapRate(), 0.05, 0.15);
    assertBetween("csat", s.csat(), 0.70, 0.90);
    assertBetween("median_first_useful_answer_seconds", s.medianFirstUsefulSeconds(), 0.5, 10);
    assertBetween("agent after handoff", s.agentAfterHandoff(), 0.7, 1.0);
    assertTrue(s.notEngaged() > 0 && s.notEngaged() < 0.4 * s.conversations(), "some opened, not engaged");
    assertTrue(s.twoCsatResponses() > 0, "some conversations answer CSAT twice");
    assertTrue(s.crossingMidnight() > 0, "some conversations cross midnight");
    assertTrue(s.purchasesAfterWindow() > 0 && s.purchasesInWindow() > s.purchasesAfterWindow(),
        "purchases mostly within 7 days, some after");
    assertTrue(s.impressionsWithoutConversation() > s.conversations()
        && s.impressionsWithoutConversation() < s.impressions(), "visitors who see the widget and never chat");
    assertTrue(s.captures() > 0 && s.meetings() > 0);
  }

  @Test
  void dimensionsAreVariedAndSometimesSloppy() {
    assertTrue(lake.channels.containsAll(Set.of("web", "messenger", "whatsapp", "instagram")), "" + lake.channels);
    assertTrue(lake.flows.containsAll(Set.of("support", "order_tracking", "lead_qualification", "booking")));
    assertTrue(lake.intents.containsAll(Set.of("order_status", "delivery_window", "return_policy",
        "business_hours", "store_location", "pricing_basics", "pricing", "billing", "complaint", "demo_request",
        "returns")), "" + lake.intents);
    assertTrue(lake.pageTypes.containsAll(Set.of("pricing", "demo", "checkout", "contact", "product", "home")));
    assertTrue(lake.touchChannels.containsAll(Set.of("email", "paid_search", "form", "social")));
    assertTrue(lake.sloppyChannels > 0 && lake.sloppyIntents > 0 && lake.sloppyTouchChannels > 0);
    assertTrue(lake.utmCampaigns > 0);
    assertTrue(lake.userIdOnly > 0, "some touches carry only user_id");
    assertTrue(lake.questionSpellings.size() > Names.QUESTIONS.size(), "questions typed in several ways");
    assertTrue(lake.sloppyEmails > 0, "e-mail addresses typed with capitals or spaces");
  }

  @Test
  void identitiesConnectAcrossSources() {
    assertTrue(lake.stitchedVisitors > 0, "an anonymous chat later stitched by a lead capture");
    assertTrue(lake.dealsLinkedByEmailOnly > 0, "a deal with no lead_id whose e-mail matches a lead");
    assertTrue(lake.capturedLeadsInCrm > 0, "captured lead ids exist in leads.csv as source chatbot");
    assertTrue(lake.sources.containsAll(Set.of("chatbot", "form")) && lake.sources.size() > 2, "" + lake.sources);
    assertTrue(lake.wonDeals > 0 && lake.lostDeals > 0 && lake.openDeals > 0,
        "won " + lake.wonDeals + ", lost " + lake.lostDeals + ", open " + lake.openDeals);
    // journeys that do not convert: touched leads who never win a deal, some of them with a lost one
    Set<String> neverWon = new TreeSet<>(lake.touchedLeads);
    neverWon.removeAll(lake.wonLeads);
    assertTrue(neverWon.size() > lake.touchedLeads.size() / 2, "most touched leads never buy: " + neverWon.size());
    assertTrue(lake.lostLeads.stream().anyMatch(lake.touchedLeads::contains), "a touched lead whose deal is lost");
    assertTrue(lake.ticketsAfterResolved > 0, "tickets within 3 days of a resolved conversation");
    assertTrue(lake.repeatedLeadRows > 0, "a lead exported twice");
    assertTrue(lake.qualifiedShare("chatbot") > 0.15 && lake.qualifiedShare("form") > 0.15);
  }

  // ------------------------------------------------------------------ marketing spend

  private static final String SPEND = "marketing/spend.csv";
  private static final Set<String> EXPECTED_BAD_SPEND = new TreeSet<>(List.of("missing_field/date",
      "missing_field/channel", "bad_timestamp/date", "bad_property/amount_unparseable",
      "bad_property/amount_negative", "bad_property/currency"));

  /** The valid rows' keys (date|channel|campaign, normalised) in file order, and the flaws, per docs/ingest.md. */
  record SpendRows(List<String> keys, Set<String> channels, Set<String> bad, List<java.math.BigDecimal> amounts) {}

  private static SpendRows spendRows(Path root) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve(SPEND), StandardCharsets.UTF_8);
    assertEquals(Spend.HEADER, lines.get(0));
    SpendRows out = new SpendRows(new ArrayList<>(), new TreeSet<>(), new TreeSet<>(), new ArrayList<>());
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(5, f.length, line);
      String bad = f[0].isEmpty() ? "missing_field/date"
          : f[1].isBlank() ? "missing_field/channel"
          : !f[0].matches("\\d{4}-\\d{2}-\\d{2}") ? "bad_timestamp/date"
          : !f[3].matches("-?\\d+(\\.\\d+)?") ? "bad_property/amount_unparseable"
          : f[3].startsWith("-") ? "bad_property/amount_negative"
          : !Set.of("", "USD").contains(f[4].toUpperCase(Locale.ROOT)) ? "bad_property/currency" : null;
      if (bad != null) {
        out.bad().add(bad);
        continue;
      }
      LocalDate.parse(f[0]);
      out.keys().add(f[0] + "|" + norm(f[1]) + "|" + (f[2].isEmpty() ? "(none)" : f[2]));
      out.channels().add(norm(f[1]));
      out.amounts().add(new java.math.BigDecimal(f[3]));
    }
    return out;
  }

  @Test
  void spendCoversTheTouchChannelsWithEveryFlawAndOneCorrection() throws IOException {
    SpendRows spend = spendRows(shared.resolve("lake"));
    assertEquals(EXPECTED_BAD_SPEND, spend.bad());
    assertEquals(lake.touchChannels, spend.channels(), "spend for every channel the touches use");
    Set<String> distinct = new HashSet<>(spend.keys());
    assertEquals(SMALL.days() * Spend.PLAN.size(), distinct.size(), "a row per day and campaign");
    assertEquals(distinct.size() + 1, spend.keys().size(), "one key delivered twice");
    String last = spend.keys().get(spend.keys().size() - 1);
    assertEquals(2, spend.keys().stream().filter(last::equals).count(), "the correction comes last");
    assertTrue(spend.keys().stream().anyMatch(k -> k.endsWith("|(none)")), "a row without a campaign");
    for (java.math.BigDecimal a : spend.amounts()) {
      assertTrue(a.doubleValue() > 1 && a.doubleValue() < 500 && a.scale() == 2, "a daily amount in cents: " + a);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void assertBetween(String what, double value, double low, double high) {
    assertTrue(value >= low && value <= high, what + " = " + value + " not in [" + low + ", " + high + "]");
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /** The rates of the brief, computed from the generated events the way the contract defines them. */
  record Stats(long conversations, long engaged, long notEngaged, long impressions,
      long impressionsWithoutConversation, double engagementRate, double goalCompletionRate, double fallbackRate,
      double handoffRate, double knowledgeGapRate, double csat, double medianFirstUsefulSeconds,
      double agentAfterHandoff, long twoCsatResponses, long crossingMidnight, long purchasesInWindow,
      long purchasesAfterWindow, long captures, long meetings) {}

  /** One conversation folded from its events. */
  private static final class Conv {
    String anon;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    boolean engaged;
    boolean goal;
    boolean resolved;
    boolean handoff;
    boolean agent;
    boolean gap;
    boolean capture;
    boolean userId;
    long t0 = Long.MAX_VALUE;
    final List<Long> useful = new ArrayList<>();
    int csatResponses;
    long csatTs = Long.MIN_VALUE;
    String csatId = "";
    int csatScore;
    final List<Long> purchases = new ArrayList<>();
  }

  /** Everything the tests look at, read once from a generated lake. */
  static final class Lake {
    long lines;
    final Map<Integer, String> badLines = new HashMap<>();
    final Map<String, Conv> conversations = new HashMap<>();
    final Map<String, Integer> countByName = new TreeMap<>();
    final Set<String> eventTsForms = new TreeSet<>();
    final Set<String> crmTsForms = new TreeSet<>();
    final Set<String> crmBad = new TreeSet<>();
    final Set<String> channels = new TreeSet<>();
    final Set<String> flows = new TreeSet<>();
    final Set<String> intents = new TreeSet<>();
    final Set<String> pageTypes = new TreeSet<>();
    final Set<String> touchChannels = new TreeSet<>();
    final Set<String> touchedLeads = new HashSet<>();
    final Set<String> wonLeads = new HashSet<>();
    final Set<String> lostLeads = new HashSet<>();
    final Set<String> questionSpellings = new HashSet<>();
    final Set<String> sources = new TreeSet<>();
    final Set<String> validLeadIds = new HashSet<>();
    final Map<String, String> leadSource = new HashMap<>();
    final Map<String, Boolean> leadQualified = new HashMap<>();
    final Set<String> leadEmails = new HashSet<>();
    final Set<String> capturedLeadIds = new TreeSet<>();
    final Map<String, Integer> impressionVisitors = new HashMap<>();
    List<List<String>> leads;
    List<List<String>> deals;
    List<List<String>> tickets;
    long duplicateLines;
    long duplicatesSameFile;
    long duplicatesOtherFile;
    long duplicatedOrders;
    long sloppyChannels;
    long sloppyIntents;
    long sloppyTouchChannels;
    long sloppyEmails;
    long utmCampaigns;
    long userIdOnly;
    long impressions;
    long impressionsWithoutConversation;
    long fallbacks;
    long botMessages;
    long stitchedVisitors;
    long dealsLinkedByEmailOnly;
    long capturedLeadsInCrm;
    long validDeals;
    long validTickets;
    long wonDeals;
    long lostDeals;
    long openDeals;
    long ticketsAfterResolved;
    long repeatedLeadRows;
    long quotedCsvFields;
    long meetings;
    /** The first assignment of each unit (anonymous_id, else user_id), as "variant|epoch ms|has user_id". */
    final Map<String, String> firstAssignment = new HashMap<>();
    final Set<String> experiments = new TreeSet<>();
    long reassignments;
    long assignmentsWithUserId;

    private void assigned(JsonNode n, long ts) {
      JsonNode p = n.get("properties");
      experiments.add(norm(p.get("experiment").asText()));
      if (n.hasNonNull("user_id")) {
        assignmentsWithUserId++;
      }
      String unit = n.hasNonNull("anonymous_id") ? "a:" + n.get("anonymous_id").asText() : "u:" + n.get("user_id").asText();
      String mine = norm(p.get("variant").asText()) + "|" + ts + "|" + n.hasNonNull("user_id");
      String before = firstAssignment.get(unit);
      if (before != null) {
        reassignments++;
      }
      if (before == null || Long.parseLong(before.split("\\|")[1]) > ts) {
        firstAssignment.put(unit, mine);
      }
    }

    static Lake read(Path root) throws IOException {
      Lake lake = new Lake();
      List<Path> files;
      try (Stream<Path> s = Files.walk(root.resolve("events"))) {
        files = s.filter(p -> p.toString().endsWith(".ndjson") || p.toString().endsWith(".ndjson.gz"))
            .sorted().toList();
      }
      Map<String, String> firstLine = new HashMap<>();
      Map<String, String> firstFile = new HashMap<>();
      Map<String, String> orderEvent = new HashMap<>();
      List<JsonNode> purchases = new ArrayList<>();
      for (Path f : files) {
        try (InputStream in = open(f);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.isBlank()) {
              continue;
            }
            lake.lines++;
            String reason = classify(line);
            if (reason != null) {
              lake.badLines.put((int) lake.lines, reason);
              continue;
            }
            JsonNode n = JSON.readTree(line);
            String id = n.get("event_id").asText();
            if (firstLine.containsKey(id)) {
              assertEquals(firstLine.get(id), line, "a re-delivery repeats the line: " + id);
              lake.duplicateLines++;
              if (firstFile.get(id).equals(f.toString())) {
                lake.duplicatesSameFile++;
              } else {
                lake.duplicatesOtherFile++;
              }
              continue;
            }
            firstLine.put(id, line);
            firstFile.put(id, f.toString());
            String name = n.get("event_name").asText();
            if (name.equals("purchase_after_chat")) {
              String order = n.get("properties").get("order_id").asText();
              if (orderEvent.containsKey(order)) {
                lake.duplicatedOrders++;
                continue;
              }
              orderEvent.put(order, id);
              purchases.add(n);
            }
            lake.event(n, name);
          }
        }
      }
      for (JsonNode p : purchases) {
        Conv c = lake.conversations.get(p.get("conversation_id").asText());
        assertNotNull(c, "a purchase names a real conversation");
        c.purchases.add(millis(p.get("event_ts")));
      }
      lake.identities();
      Set<String> chatted = new HashSet<>();
      for (Conv c : lake.conversations.values()) {
        chatted.add(c.anon);
      }
      for (Map.Entry<String, Integer> e : lake.impressionVisitors.entrySet()) {
        if (!chatted.contains(e.getKey())) {
          lake.impressionsWithoutConversation += e.getValue();
        }
      }
      lake.leads = csv(root.resolve("crm/leads.csv"), lake);
      lake.deals = csv(root.resolve("crm/deals.csv"), lake);
      lake.tickets = csv(root.resolve("helpdesk/tickets.csv"), lake);
      lake.crm();
      return lake;
    }

    private void event(JsonNode n, String name) {
      countByName.merge(name, 1, Integer::sum);
      String rawTs = n.get("event_ts").isNumber() ? null : n.get("event_ts").asText();
      eventTsForms.add(tsForm(rawTs));
      long ts = millis(n.get("event_ts"));
      String channel = text(n, "channel");
      channels.add(norm(channel));
      if (!channel.equals(norm(channel))) {
        sloppyChannels++;
      }
      if (n.hasNonNull("flow")) {
        flows.add(norm(text(n, "flow")));
      }
      if (n.hasNonNull("intent")) {
        intents.add(norm(text(n, "intent")));
        if (!text(n, "intent").equals(norm(text(n, "intent")))) {
          sloppyIntents++;
        }
      }
      if (n.hasNonNull("page_type")) {
        pageTypes.add(norm(text(n, "page_type")));
      }
      if (n.hasNonNull("utm_campaign")) {
        utmCampaigns++;
      }
      if (!n.hasNonNull("anonymous_id")) {
        userIdOnly++;
      }
      JsonNode props = n.get("properties");
      if (name.equals("chat_impression")) {
        impressions++;
        if (n.hasNonNull("anonymous_id")) {
          impressionVisitors.merge(n.get("anonymous_id").asText(), 1, Integer::sum);
        }
        return;
      }
      if (name.equals("marketing_touch")) {
        String touch = props.get("touch_channel").asText();
        touchChannels.add(norm(touch));
        if (n.hasNonNull("user_id")) {
          touchedLeads.add(text(n, "user_id"));
        }
        if (!touch.equals(norm(touch))) {
          sloppyTouchChannels++;
        }
        return;
      }
      if (name.equals("purchase_after_chat")) {
        return;
      }
      if (name.equals("experiment_assigned")) {
        assigned(n, ts);
        return;
      }
      Conv c = conversations.computeIfAbsent(n.get("conversation_id").asText(), k -> new Conv());
      if (c.anon == null && n.hasNonNull("anonymous_id")) {
        c.anon = n.get("anonymous_id").asText();
      }
      c.start = Math.min(c.start, ts);
      c.end = Math.max(c.end, ts);
      c.userId |= n.hasNonNull("user_id");
      switch (name) {
        case "chat_engaged", "user_message" -> {
          c.engaged = true;
          c.t0 = Math.min(c.t0, ts);
        }
        case "bot_message" -> {
          botMessages++;
          if (props != null && props.path("useful").asBoolean(false)) {
            c.useful.add(ts);
          }
        }
        case "bot_fallback" -> fallbacks++;
        case "bot_goal_completed" -> c.goal = true;
        case "bot_resolved", "ticket_deflected" -> c.resolved = true;
        case "bot_handoff_human" -> c.handoff = true;
        case "agent_message" -> c.agent = true;
        case "bot_knowledge_gap" -> {
          c.gap = true;
          questionSpellings.add(props.get("question").asText());
        }
        case "lead_captured_chat" -> {
          c.capture = true;
          capturedLeadIds.add(props.get("lead_id").asText());
          String email = props.path("email").asText("");
          if (!email.equals(email.trim().toLowerCase(Locale.ROOT))) {
            sloppyEmails++;
          }
        }
        case "meeting_booked" -> meetings++;
        case "csat_response" -> {
          c.csatResponses++;
          String id = n.get("event_id").asText();
          if (ts > c.csatTs || (ts == c.csatTs && id.compareTo(c.csatId) > 0)) {
            c.csatTs = ts;
            c.csatId = id;
            c.csatScore = props.get("score").asInt();
          }
        }
        default -> { }
      }
    }

    /** Visitors with an anonymous conversation on an earlier day than a conversation that captured them. */
    private void identities() {
      Map<String, Long> firstAnonymousDay = new HashMap<>();
      Map<String, Long> lastCaptureDay = new HashMap<>();
      for (Conv c : conversations.values()) {
        if (c.anon == null) {
          continue;
        }
        long day = Math.floorDiv(c.start, DAY);
        if (!c.userId && !c.capture) {
          firstAnonymousDay.merge(c.anon, day, Math::min);
        }
        if (c.capture) {
          lastCaptureDay.merge(c.anon, day, Math::max);
        }
      }
      for (Map.Entry<String, Long> e : lastCaptureDay.entrySet()) {
        Long anonymous = firstAnonymousDay.get(e.getKey());
        if (anonymous != null && anonymous < e.getValue()) {
          stitchedVisitors++;
        }
      }
    }

    private void crm() {
      Map<String, List<String>> lastLeadRow = new HashMap<>();
      for (List<String> row : leads.subList(1, leads.size())) {
        String bad = crmReason("leads", row);
        if (bad != null) {
          crmBad.add(bad);
          continue;
        }
        if (lastLeadRow.put(row.get(0), row) != null) {
          repeatedLeadRows++;
        }
      }
      for (List<String> row : lastLeadRow.values()) {
        validLeadIds.add(row.get(0));
        sources.add(row.get(2));
        leadSource.put(row.get(0), row.get(2));
        leadQualified.put(row.get(0), !row.get(5).isEmpty() || !row.get(6).isEmpty());
        leadEmails.add(row.get(3).trim().toLowerCase(Locale.ROOT));
      }
      for (String id : capturedLeadIds) {
        if ("chatbot".equals(leadSource.get(id))) {
          capturedLeadsInCrm++;
        }
      }
      for (List<String> row : deals.subList(1, deals.size())) {
        String bad = crmReason("deals", row);
        if (bad != null) {
          crmBad.add(bad);
          continue;
        }
        validDeals++;
        if (row.get(1).isEmpty() && leadEmails.contains(row.get(2).trim().toLowerCase(Locale.ROOT))) {
          dealsLinkedByEmailOnly++;
        }
        switch (row.get(5)) {
          case "closed_won" -> {
            wonDeals++;
            wonLeads.add(row.get(1));
          }
          case "closed_lost" -> {
            lostDeals++;
            lostLeads.add(row.get(1));
          }
          default -> openDeals++;
        }
      }
      Map<String, List<Conv>> resolvedByAnon = new HashMap<>();
      for (Conv c : conversations.values()) {
        if (c.resolved && c.anon != null) {
          resolvedByAnon.computeIfAbsent(c.anon, k -> new ArrayList<>()).add(c);
        }
      }
      for (List<String> row : tickets.subList(1, tickets.size())) {
        String bad = crmReason("tickets", row);
        if (bad != null) {
          crmBad.add(bad);
          continue;
        }
        validTickets++;
        long created = crmMillis(row.get(1));
        for (Conv c : resolvedByAnon.getOrDefault(row.get(2), List.of())) {
          if (created >= c.start && created <= c.end + 3 * DAY) {
            ticketsAfterResolved++;
            break;
          }
        }
      }
    }

    double qualifiedShare(String source) {
      long all = leadSource.values().stream().filter(source::equals).count();
      long qualified = leadSource.entrySet().stream()
          .filter(e -> e.getValue().equals(source) && leadQualified.get(e.getKey())).count();
      return all == 0 ? 0 : (double) qualified / all;
    }

    Stats stats() {
      long engaged = 0;
      long goal = 0;
      long handoff = 0;
      long gap = 0;
      long withCsat = 0;
      long positive = 0;
      long agentAfterHandoff = 0;
      long twoCsat = 0;
      long midnight = 0;
      long inWindow = 0;
      long afterWindow = 0;
      long captures = 0;
      List<Long> firstUseful = new ArrayList<>();
      for (Conv c : conversations.values()) {
        if (c.goal) {
          goal++;
        }
        if (c.csatResponses > 0) {
          withCsat++;
          if (c.csatScore >= 4) {
            positive++;
          }
        }
        if (c.csatResponses > 1) {
          twoCsat++;
        }
        if (Math.floorDiv(c.start, DAY) != Math.floorDiv(c.end, DAY)) {
          midnight++;
        }
        if (c.capture) {
          captures++;
        }
        for (long p : c.purchases) {
          if (p >= c.start && p <= c.end + 7 * DAY) {
            inWindow++;
          } else {
            afterWindow++;
          }
        }
        if (!c.engaged) {
          continue;
        }
        engaged++;
        if (c.handoff) {
          handoff++;
          if (c.agent) {
            agentAfterHandoff++;
          }
        }
        if (c.gap) {
          gap++;
        }
        c.useful.stream().filter(t -> t >= c.t0).min(Long::compare).ifPresent(t -> firstUseful.add(t - c.t0));
      }
      firstUseful.sort(null);
      int m = firstUseful.size();
      double median = m == 0 ? Double.NaN : m % 2 == 1 ? firstUseful.get(m / 2)
          : (firstUseful.get(m / 2 - 1) + firstUseful.get(m / 2)) / 2.0;
      long all = conversations.size();
      return new Stats(all, engaged, all - engaged, impressions, impressionsWithoutConversation,
          (double) engaged / impressions, (double) goal / all, (double) fallbacks / (botMessages + fallbacks),
          (double) handoff / engaged, (double) gap / engaged, (double) positive / withCsat, median / 1000.0,
          (double) agentAfterHandoff / handoff, twoCsat, midnight, inWindow, afterWindow, captures, meetings);
    }
  }

  static Stats stats(Path root) throws IOException {
    return Lake.read(root).stats();
  }

  private static InputStream open(Path f) throws IOException {
    InputStream in = Files.newInputStream(f);
    return f.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  private static String text(JsonNode n, String field) {
    return n.get(field).asText();
  }

  private static String norm(String s) {
    return s.trim().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ the ingest checks, as a test oracle

  /** Null for a valid event line, else "reason/variant" following the check order of docs/ingest.md. */
  static String classify(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return "malformed_json/truncated";
    }
    if (n == null || !n.isObject()) {
      return n != null && n.isArray() ? "malformed_json/array" : "malformed_json/other";
    }
    String m = missing(n, "event_id");
    if (m != null) {
      return "missing_field/event_id/" + m;
    }
    m = missing(n, "event_name");
    if (m != null) {
      return "missing_field/event_name/" + m;
    }
    String name = n.get("event_name").asText();
    if (!n.get("event_name").isTextual() || !EVENT_NAMES.contains(name)) {
      return "unknown_event/" + name;
    }
    m = missing(n, "event_ts");
    if (m != null) {
      return "missing_field/event_ts/" + m;
    }
    JsonNode ts = n.get("event_ts");
    if (!validTs(ts)) {
      if (ts.isNumber()) {
        return "bad_timestamp/epoch_fraction";
      }
      String s = ts.asText();
      return "bad_timestamp/" + (s.matches("\\d+") ? "epoch_string"
          : s.matches("\\d{4}-\\d{2}-\\d{2} .*") ? "space"
          : TS.matcher(s).matches() ? "impossible_date" : "word");
    }
    m = missing(n, "anonymous_id");
    if (m != null && missing(n, "user_id") != null) {
      return "missing_field/anonymous_id/" + m;
    }
    m = missing(n, "channel");
    if (m != null) {
      return "missing_field/channel/" + m;
    }
    if (!NOT_CONVERSATION.contains(name)) {
      m = missing(n, "conversation_id");
      if (m != null) {
        return "missing_field/conversation_id/" + m;
      }
    }
    JsonNode p = n.path("properties");
    List<String> required = switch (name) {
      case "bot_knowledge_gap" -> List.of("question");
      case "csat_response" -> List.of("score");
      case "lead_captured_chat" -> List.of("lead_id");
      case "purchase_after_chat" -> List.of("order_id", "revenue");
      case "marketing_touch" -> List.of("touch_channel");
      case "experiment_assigned" -> List.of("experiment", "variant");
      default -> List.of();
    };
    for (String prop : required) {
      if (!p.isObject() || missing(p, prop) != null) {
        return "missing_property/" + name + "." + prop;
      }
    }
    if (n.hasNonNull("properties") && !p.isObject()) {
      return "bad_property/properties_not_object";
    }
    JsonNode useful = p.path("useful");
    if (name.equals("bot_message") && !useful.isMissingNode() && !useful.isNull() && !useful.isBoolean()) {
      return "bad_property/useful_string";
    }
    if (name.equals("csat_response")) {
      JsonNode score = p.get("score");
      if (score.isTextual()) {
        return "bad_property/score_string";
      }
      if (!score.isIntegralNumber()) {
        return "bad_property/score_fraction";
      }
      if (score.asLong() < 1) {
        return "bad_property/score_zero";
      }
      if (score.asLong() > 5) {
        return "bad_property/score_out_of_range";
      }
    }
    if (name.equals("purchase_after_chat")) {
      JsonNode revenue = p.get("revenue");
      if (!revenue.isNumber()) {
        return "bad_property/revenue_string";
      }
      if (revenue.decimalValue().signum() < 0) {
        return "bad_property/revenue_negative";
      }
      JsonNode currency = p.path("currency");
      if (currency.isTextual() && !currency.asText().isBlank()
          && !currency.asText().trim().toUpperCase(Locale.ROOT).equals("USD")) {
        return "bad_property/currency_eur";
      }
    }
    return null;
  }

  private static String missing(JsonNode n, String field) {
    if (!n.has(field)) {
      return "absent";
    }
    JsonNode v = n.get(field);
    if (v.isNull()) {
      return "null";
    }
    return v.isTextual() && v.asText().isBlank() ? "blank" : null;
  }

  private static boolean validTs(JsonNode ts) {
    if (ts.isIntegralNumber()) {
      return true;
    }
    if (!ts.isTextual() || !TS.matcher(ts.asText()).matches()) {
      return false;
    }
    try {
      OffsetDateTime.parse(ts.asText());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static long millis(JsonNode ts) {
    return ts.isNumber() ? ts.asLong() : OffsetDateTime.parse(ts.asText()).toInstant().toEpochMilli();
  }

  private static String tsForm(String raw) {
    if (raw == null) {
      return "epoch_ms";
    }
    var matcher = TS.matcher(raw);
    assertTrue(matcher.matches(), raw);
    if (!raw.endsWith("Z")) {
      return "offset";
    }
    return matcher.group(2) == null ? "Z" : "fraction_" + matcher.group(2).length();
  }

  // ------------------------------------------------------------------ CRM oracle

  /** Null for a valid CRM row, else "file/reason/detail" per docs/ingest.md. */
  private static String crmReason(String file, List<String> row) {
    String id = row.get(0);
    if (id.isBlank()) {
      return file + "/missing_field/" + (file.equals("leads") ? "lead_id" : file.equals("deals") ? "deal_id"
          : "ticket_id");
    }
    List<Integer> dates = switch (file) {
      case "leads" -> List.of(1, 5, 6, 7);
      case "deals" -> List.of(3, 4);
      default -> List.of(1);
    };
    List<String> header = switch (file) {
      case "leads" -> List.of(Crm.LEADS_HEADER.split(","));
      case "deals" -> List.of(Crm.DEALS_HEADER.split(","));
      default -> List.of(Crm.TICKETS_HEADER.split(","));
    };
    for (int i : dates) {
      if (!row.get(i).isEmpty() && crmMillisOrNull(row.get(i)) == null) {
        return file + "/bad_timestamp/" + header.get(i);
      }
    }
    switch (file) {
      case "leads" -> {
        if (!Set.of("", "true", "false").contains(row.get(8))) {
          return "leads/bad_property/meeting_qualified";
        }
      }
      case "deals" -> {
        for (int i : List.of(6, 7)) {
          String v = row.get(i);
          if (!v.isEmpty()) {
            if (!v.matches("-?\\d+(\\.\\d+)?")) {
              return "deals/bad_property/" + (i == 6 ? "amount" : "gross_profit") + "_unparseable";
            }
            if (v.startsWith("-")) {
              return "deals/bad_property/amount_negative";
            }
          }
        }
        if (!Set.of("closed_won", "closed_lost", "open").contains(row.get(5))) {
          return "deals/bad_property/stage";
        }
        if (!Set.of("", "USD").contains(row.get(8))) {
          return "deals/bad_property/currency";
        }
        if (row.get(5).equals("closed_won") && row.get(4).isEmpty()) {
          return "deals/bad_property/closed_at";
        }
      }
      default -> {
        String score = row.get(7);
        if (!score.isEmpty() && !score.matches("[1-5]")) {
          return "tickets/bad_property/csat_" + (score.matches("\\d+") ? "out_of_range" : "unparseable");
        }
      }
    }
    return null;
  }

  private static long crmMillis(String s) {
    Long ms = crmMillisOrNull(s);
    assertNotNull(ms, s);
    return ms;
  }

  private static Long crmMillisOrNull(String s) {
    try {
      if (TS.matcher(s).matches()) {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      }
      if (CRM_LOCAL.matcher(s).matches()) {
        String iso = s.length() == 10 ? s + "T00:00:00" : s.replace(' ', 'T');
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
    } catch (DateTimeParseException e) {
      return null;
    }
    return null;
  }

  private static String crmForm(String s) {
    if (s.length() == 10) {
      return "date";
    }
    if (s.length() == 19) {
      return s.charAt(10) == ' ' ? "local_space" : "local_t";
    }
    return s.endsWith("Z") ? "Z" : "offset";
  }

  /** A small RFC-4180 reader: quoted fields may hold commas and doubled quotes. */
  private static List<List<String>> csv(Path file, Lake lake) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      List<String> fields = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cur.append(c);
          }
        } else if (c == '"') {
          quoted = true;
          lake.quotedCsvFields++;
        } else if (c == ',') {
          fields.add(cur.toString());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      fields.add(cur.toString());
      rows.add(fields);
      if (rows.size() > 1) {
        String name = file.getFileName().toString();
        List<Integer> dates = name.equals("leads.csv") ? List.of(1, 5, 6, 7)
            : name.equals("deals.csv") ? List.of(3, 4) : List.of(1);
        for (int i : dates) {
          if (i < fields.size() && crmMillisOrNull(fields.get(i)) != null) {
            lake.crmTsForms.add(crmForm(fields.get(i)));
          }
        }
      }
    }
    return rows;
  }
}
