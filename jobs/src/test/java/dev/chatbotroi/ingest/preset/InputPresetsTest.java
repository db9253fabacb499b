package dev.chatbotroi.ingest.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.testing.Files2;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The presets the format settings name: every built-in parses, a user file is read, and errors name the setting and key. */
class InputPresetsTest {

  @TempDir Path dir;

  private static InputPresets presets(String... overrides) {
    return InputPresets.of(Settings.load(null, List.of(overrides)).input());
  }

  @Test
  void everyBuiltInPresetLoadsAndFormatsDefaultToContract() {
    InputPresets d = presets();
    assertEquals(null, d.events());
    for (String f : List.of("segment", "mixpanel", "ga4", "rasa", "botframework")) {
      Preset p = presets("input.events.format=" + f).events();
      assertEquals(f, p.name());
      assertTrue(!p.events().rules().isEmpty(), f);
    }
    InputPresets crm = presets("input.crm.format=HubSpot", "input.helpdesk.format=zendesk");
    assertEquals("hubspot", crm.crm().name());
    assertTrue(crm.presetFor("leads") != null && crm.presetFor("deals") != null);
    assertEquals("zendesk", crm.presetFor("tickets").name());
    assertEquals("salesforce", presets("input.crm.format=salesforce").crm().name());
  }

  @Test
  void aUserPresetFileIsReadAndItsErrorsNameTheSettingAndKey() {
    Path own = Files2.write(dir.resolve("my.conf"),
        "include classpath(\"presets/segment.conf\")",
        "name = my-segment",
        "events.names { \"Chat Shown\" = chat_impression }");
    Preset p = presets("input.events.format=" + own).events();
    assertEquals("my-segment", p.name());
    assertEquals(List.of("chat_impression"), p.events().rules().get(0).names().get("chat shown"));
    assertEquals(List.of("chat_opened"), p.events().rules().get(0).names().get("live chat conversation started"),
        "the included names stay");

    assertMessage("setting 'input.events.format': unknown format 'kafka' (available: contract, segment, mixpanel, ga4, rasa, botframework, or the path of a preset file)",
        "input.events.format=kafka");
    assertMessage("setting 'input.crm.format': unknown format 'segment'", "input.crm.format=segment");
    Path bad = Files2.write(dir.resolve("bad.conf"), "events { fields { event_id = id, event_ts = ts }",
        "rules = [ { when = [\"type = x\"] } ] }");
    assertMessage("setting 'input.events.format': preset " + bad + ": events.rules[0]: needs exactly one of skip, event, map-from, unmappable",
        "input.events.format=" + bad);
    Path badCond = Files2.write(dir.resolve("cond.conf"), "events { fields { event_id = id, event_ts = ts }",
        "rules = [ { when = [\"type is x\"], event = chat_opened } ] }");
    assertMessage("setting 'input.events.format': preset " + badCond + ": events.rules[0].when: cannot read condition 'type is x'",
        "input.events.format=" + badCond);
    Path noEvents = Files2.write(dir.resolve("crm.conf"), "leads { fields { lead_id = id } }");
    assertMessage("setting 'input.events.format': preset " + noEvents + " has no events section",
        "input.events.format=" + noEvents);
    Path typo = Files2.write(dir.resolve("typo.conf"), "deals { fields { deal_id = Id, closed_on = CloseDate } }");
    assertMessage("setting 'input.crm.format': preset " + typo + ": deals.fields.closed_on: not a deals column",
        "input.crm.format=" + typo);
  }

  private static void assertMessage(String expectedStart, String override) {
    UserException e = assertThrows(UserException.class, () -> presets(override));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
