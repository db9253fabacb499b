package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in presets over public sample files other projects published (../shared/fixtures,
 * read in place and copied only into a temporary lake, never into this repository): the facts
 * asserted are read from those files.
 */
@org.junit.jupiter.api.Tag("pipeline")
class SharedFixturesPresetsTest {

  static final Path FIXTURES = Path.of("../../shared/fixtures");

  @TempDir Path dir;

  @BeforeEach
  void fixturesPresent() {
    if (!Files.isDirectory(FIXTURES)) {
      System.out.println("SKIPPED SharedFixturesPresetsTest: " + FIXTURES.toAbsolutePath().normalize()
          + " is absent (the shared public sample files)");
    }
    Assumptions.assumeTrue(Files.isDirectory(FIXTURES), "shared fixtures folder " + FIXTURES + " is absent");
  }

  private PresetsTest.Ingested run(String file, String lakeName, String... settings) throws Exception {
    Path lake = dir.resolve("lake");
    PresetsTest.copy(FIXTURES.resolve(file), lake.resolve("events").resolve(lakeName));
    PresetsTest.Ingested in = PresetsTest.ingest(lake, dir.resolve("wh"), settings);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Pipeline.run(new dev.chatbotroi.common.StageContext(in.tables(), TestSpark.settings(settings), "run-2",
        lake.toString(), quiet, quiet), Pipeline.CONVERSATIONS, null);
    return in;
  }

  /** A user preset: the built-in one included from the classpath, plus the lines given. */
  private String userPreset(String builtIn, String... lines) {
    Path p = dir.resolve("my-" + builtIn + ".conf");
    List<String> all = new java.util.ArrayList<>(List.of("include classpath(\"presets/" + builtIn + ".conf\")"));
    all.addAll(List.of(lines));
    Files2.write(p, all);
    return p.toString();
  }

  private static List<String> conversations(PresetsTest.Ingested in) {
    return PresetsTest.rows(in.tables(), ConversationsTable.TABLE, "conversation_id", PresetsTest.CONVERSATION);
  }

  @Test
  void rasaMoodbotTracker() throws Exception {
    PresetsTest.Ingested in = run("rasa/tracker_moodbot.json", "tracker_moodbot.json", "input.events.format=rasa");
    // two user turns (intents greet, mood_great) of sender "mysender", no session_started, no bot events
    List<String> events = in.events().stream().map(e -> e.substring(e.indexOf(' ') + 1)).toList();
    String c = " anonymous_id=mysender conversation_id=mysender channel=web";
    assertEquals(List.of(
        "user_message 2018-02-05T09:08:46.200036Z" + c + " intent=greet",
        "chat_engaged 2018-02-05T09:08:46.200036Z" + c + " intent=greet",
        "user_message 2018-02-05T09:08:46.209836Z" + c + " intent=mood_great"), events);
    // action_listen x3, utter_greet, utter_happy: no conversation event of their own
    assertEquals(Map.of("rasa: tracker event action", 5L), in.result().skipped());
    assertEquals(List.of("conversation_id=mysender anonymous_id=mysender channel=web intent=greet"
        + " start_ts=2018-02-05T09:08:46.200036Z end_ts=2018-02-05T09:08:46.209836Z engaged=true user_turns=2"
        + " bot_turns=0 fallback_turns=0 resolved=false handed_off=false goal_completed=false outcome=abandoned"),
        conversations(in));
  }

  @Test
  void rasaMoodbotTrackerCountingUtterActions() throws Exception {
    // the documented edit for trackers without `bot` events: utter_* actions are the bot turns
    String preset = userPreset("rasa",
        "events.rules = [ { when = [\"event = action\", \"name ~ ^utter_\"], event = bot_message } ] ${events.rules}");
    PresetsTest.Ingested in = run("rasa/tracker_moodbot.json", "tracker_moodbot.json", "input.events.format=" + preset);
    assertEquals(Map.of("rasa: tracker event action", 3L), in.result().skipped());
    List<String> conv = conversations(in);
    assertEquals(1, conv.size());
    assertTrue(conv.get(0).contains(" user_turns=2 bot_turns=2 "), conv.get(0));
  }

  @Test
  void botFrameworkHotelReservationTranscript() throws Exception {
    PresetsTest.Ingested in = run("botframework/HotelReservation.transcript", "HotelReservation.transcript",
        "input.events.format=botframework");
    String id = "tNu3tuXHXAUbwYX/0VIdiFdX04M=";
    String user = "Et6pb+wgWTVmq3VpLJlJWWgzrck=";
    List<String> events = in.events();
    // 18 activities: 1 conversationUpdate, 4 user and 9 bot messages, 4 typing (skipped)
    assertEquals(15, events.size(), events.toString());
    assertEquals(Map.of("botframework: activity typing", 4L), in.result().skipped());
    String c = " anonymous_id=" + user + " conversation_id=" + id + " channel=chatdown";
    assertEquals(id + "/1 chat_opened 2018-09-10T08:42:23.100Z" + c, events.get(0));
    assertEquals(id + "/2 bot_message 2018-09-10T08:42:25.100Z" + c, events.get(1));
    assertEquals(id + "/3 user_message 2018-09-10T08:42:27.100Z" + c, events.get(2));
    assertEquals(id + "/3:chat_engaged chat_engaged 2018-09-10T08:42:27.100Z" + c, events.get(3));
    assertEquals(List.of(id + "/3", id + "/7", id + "/11", id + "/15"), events.stream()
        .filter(e -> e.contains(" user_message ")).map(e -> e.substring(0, e.indexOf(' '))).toList());
    assertEquals(id + "/18 bot_message 2018-09-10T08:42:49.500Z" + c, events.get(14));
    assertEquals(List.of("conversation_id=" + id + " anonymous_id=" + user + " channel=chatdown intent=(none)"
        + " start_ts=2018-09-10T08:42:23.100Z end_ts=2018-09-10T08:42:49.500Z engaged=true user_turns=4"
        + " bot_turns=9 fallback_turns=0 resolved=false handed_off=false goal_completed=false outcome=abandoned"),
        conversations(in));
  }

  @Test
  void mixpanelNoiseExport() throws Exception {
    PresetsTest.Ingested in = run("mixpanel/mixpanel_import_noise_input.ndjson", "export.ndjson",
        "input.events.format=mixpanel");
    // none of the 20 names is a chat event: $delete is internal, "deleted" carries $is_deleted
    assertEquals(List.of(), in.events());
    assertEquals(0, in.result().counts().linesRead());
    Map<String, Long> skipped = in.result().skipped();
    assertEquals(20L, in.result().skippedTotal());
    assertEquals(1L, skipped.get("mixpanel: internal event $delete"));
    assertEquals(1L, skipped.get("mixpanel: deleted event"));
    assertEquals(1L, skipped.get("mixpanel: unmapped event 'plain'"));
  }

  @Test
  void mixpanelNoiseExportWithNamesMapped() throws Exception {
    String preset = userPreset("mixpanel",
        "events.names { plain = chat_impression, \"never listed\" = chat_impression, \"plain last\" = chat_impression }");
    PresetsTest.Ingested in = run("mixpanel/mixpanel_import_noise_input.ndjson", "export.ndjson",
        "input.events.format=" + preset);
    assertEquals(List.of(
        "n01 chat_impression 2025-10-09T08:53:20Z anonymous_id=u1 channel=web",
        // $device_id wins over distinct_id; $user_id is the known user
        "n16 chat_impression 2025-10-09T08:53:35Z anonymous_id=d15 user_id=u15 channel=web",
        "n20 chat_impression 2025-10-09T08:53:39Z anonymous_id=u19 channel=web"), in.events());
    assertEquals(17L, in.result().skippedTotal());
  }

  @Test
  void segmentGoBatch() throws Exception {
    PresetsTest.Ingested in = run("segment/analytics-go_test-enqueue-track.json", "batch.json",
        "input.events.format=segment");
    assertEquals(Map.of("segment: unmapped event 'Download'", 1L), in.result().skipped());
    String preset = userPreset("segment", "events.names { Download = chat_impression }");
    Path lake = dir.resolve("lake2");
    PresetsTest.copy(FIXTURES.resolve("segment/analytics-go_test-enqueue-track.json"), lake.resolve("events/batch.json"));
    PresetsTest.Ingested mapped = PresetsTest.ingest(lake, dir.resolve("wh2"), "input.events.format=" + preset);
    // one track call in a batch, timestamp in epoch milliseconds, a userId and no anonymousId
    assertEquals(List.of("I'm unique chat_impression 2009-11-10T23:00:00Z user_id=123456 channel=web"), mapped.events());
  }
}
