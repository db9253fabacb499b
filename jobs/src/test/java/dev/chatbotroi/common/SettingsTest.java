package dev.chatbotroi.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.testing.Files2;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings: every default of docs/settings.md, layering (reference < --conf < --set), and errors that name the key. */
class SettingsTest {

  @TempDir Path dir;

  @Test
  void defaultsAreThoseOfTheContract() {
    Settings s = Settings.load(null, List.of());
    assertEquals(ZoneId.of("UTC"), s.timezone());
    assertEquals("USD", s.currency());
    assertEquals(4, s.csatPositiveMin());
    assertEquals(List.of("order_status", "delivery_window", "return_policy", "business_hours",
        "store_location", "pricing_basics"), s.deflection().eligibleIntents());
    assertEquals(3, s.deflection().ticketWindowDays());
    assertEquals(List.of("lead_captured_chat", "meeting_booked"), s.conversion().events());
    assertEquals(7, s.conversion().windowDays());
    assertEquals(Settings.LeadQualityLevel.MQL, s.leadQualityLevel());
    assertEquals(List.of("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov", "shapley"),
        s.attribution().models());
    assertEquals(12, s.attribution().shapleyMaxStates());
    assertEquals(List.of(7, 30, 90), s.attribution().windowDays());
    assertEquals(Settings.Anchor.CLOSED_AT, s.attribution().anchor());
    assertEquals(0.4, s.attribution().positionFirst());
    assertEquals(0.4, s.attribution().positionLast());
    assertEquals(7.0, s.attribution().halfLifeDays());
    assertEquals("linear", s.attribution().roiModel());
    assertEquals(30, s.attribution().roiWindowDays());
    assertEquals(1.0, s.crmDefaultGrossMargin());
    assertEquals(new Settings.Costs(99.0, 0.0, 0.15, 4.50), s.costs());
    assertEquals(30, s.benchmarks().minSample());
    Settings.Band turns = s.benchmarks().bands().get("median_turns");
    assertEquals(List.of(4.0, 8.0), turns.goodRange());
    assertEquals(List.of(6.0, 12.0), turns.flows().get("lead_qualification").goodRange());
    assertTrue(s.benchmarks().bands().get("fallback_rate").lowerIsBetter());
    assertEquals("costs.manual-cost-per-conversation", s.benchmarks().bands().get("cost_per_interaction").relativeTo());
    assertEquals(12, s.benchmarks().bands().size());
    assertEquals(new Settings.Run(7, 3), s.run());
  }

  @Test
  void fileLayersOverDefaultsAndSetOverTheFile() {
    Path conf = Files2.write(dir.resolve("a.conf"),
        "reporting { timezone = \"Europe/Lisbon\" }",
        "csat.positive-min = 5",
        "deflection.eligible-intents = [\" Order_Status \", returns]",
        "costs { platform-monthly = 10 }");
    Settings s = Settings.load(conf, List.of("csat.positive-min=3", "attribution.window-days=[14]",
        "attribution.roi-window-days=14"));
    assertEquals(ZoneId.of("Europe/Lisbon"), s.timezone());
    assertEquals(3, s.csatPositiveMin(), "--set wins over the file");
    assertEquals(List.of("order_status", "returns"), s.deflection().eligibleIntents(), "names trimmed, lower-cased");
    assertEquals(10.0, s.costs().platformMonthly());
    assertEquals(0.15, s.costs().perConversation(), "untouched defaults stay");
    assertEquals(List.of(14), s.attribution().windowDays());
  }

  @Test
  void badValuesNameTheirKey() {
    assertMessage("setting 'csat.positive-min': expected an integer from 1 to 5, got 0", "csat.positive-min=0");
    assertMessage("setting 'conversion.window-days': has the wrong type", "conversion.window-days=soon");
    assertMessage("setting 'reporting.timezone': unknown time zone 'Nowhere/City'", "reporting.timezone=Nowhere/City");
    assertMessage("setting 'attribution.models': unknown model 'w_shaped'", "attribution.models=[linear, w_shaped]");
    assertMessage("setting 'attribution.shapley.max-states': expected an integer from 1 to 20, got 21",
        "attribution.shapley.max-states=21");
    assertMessage("setting 'attribution.window-days': expected a non-empty list", "attribution.window-days=[]");
    assertMessage("setting 'lead-quality.level': expected one of [mql, sql], got 'opportunity'", "lead-quality.level=opportunity");
    assertMessage("setting 'currency': expected a 3-letter currency code", "currency=dollars");
    assertMessage("setting 'attribution.position-based.first': first + last must be at most 1", "attribution.position-based.first=0.7");
    assertMessage("setting 'benchmarks.csat.good': has the wrong type", "benchmarks.csat={good=high}");
    assertMessage("setting 'benchmarks.handoff_rate.ok-range': expected [low, high]", "benchmarks.handoff_rate.ok-range=[0.7, 0.05]");
  }

  @Test
  void aMisspeltKeyStopsTheCommandNamingTheNearestKnownOne() {
    assertMessage("setting 'deflection.eligible-intent': unknown key (did you mean deflection.eligible-intents?)",
        "deflection.eligible-intent=[x]");
    assertMessage("setting 'benchmarks.csatt.good': unknown key (did you mean benchmarks.csat.good?)",
        "benchmarks.csatt={good=1,ok=0}");
    assertMessage("setting 'benchmarks.csat.god': unknown key (did you mean benchmarks.csat.good?)",
        "benchmarks.csat.god=0.9");
    assertMessage("setting 'ingest.max-line-byte': unknown key (did you mean ingest.max-line-bytes?)",
        "ingest.max-line-byte=10");
    // a band of a metric that has one may get per-flow bands; keys outside the product's namespaces are the user's own
    Settings s = Settings.load(null, List.of("benchmarks.csat.flows.support={good=0.9,ok=0.8}", "my-team.owner=ana"));
    assertEquals(0.9, s.benchmarks().bands().get("csat").flows().get("support").good());
  }

  @Test
  void sparkSubmitsSystemPropertiesAreNotSettings() {
    // spark-submit hands spark.master, spark.app.name … to the driver as system properties
    System.setProperty("spark.master", "spark://somewhere:7077");
    System.setProperty("spark.submit.deployMode", "client");
    com.typesafe.config.ConfigFactory.invalidateCaches(); // Typesafe Config caches the system properties
    try {
      assertEquals(8, Settings.load(null, List.of()).shufflePartitions());
    } finally {
      System.clearProperty("spark.master");
      System.clearProperty("spark.submit.deployMode");
      com.typesafe.config.ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void theRoiModelAndWindowMustBeAmongTheComputedOnes() {
    assertMessage("setting 'attribution.roi-window-days': 45 is not among attribution.window-days [7, 30, 90]",
        "attribution.roi-window-days=45");
    UserException e = assertThrows(UserException.class, () -> Settings.load(null,
        List.of("attribution.models=[first_touch]", "attribution.roi-model=linear")));
    assertTrue(e.getMessage().startsWith("setting 'attribution.roi-model': 'linear' is not among attribution.models"),
        e.getMessage());
    assertEquals(List.of(14), Settings.load(null, List.of("attribution.window-days=[14]",
        "attribution.roi-window-days=14")).attribution().windowDays());
  }

  @Test
  void diagnosticThresholdsAndTheLineLimitAreSettings() {
    Settings d = Settings.load(null, List.of());
    assertEquals(new Settings.Diagnostics(0.05, 0.10), d.diagnostics());
    assertEquals(0.05, d.benchmarks().baselineOkMargin());
    assertEquals(1_048_576L, d.ingest().maxLineBytes());
    assertEquals(4L << 20, Settings.load(null, List.of("ingest.max-line-bytes=4MiB")).ingest().maxLineBytes());
    assertMessage("setting 'ingest.max-line-bytes': expected a size from 1 KiB to 2 GiB, got 10", "ingest.max-line-bytes=10");
    assertEquals(0.02, Settings.load(null, List.of("diagnostics.trapping-handoff-below=0.02"))
        .diagnostics().trappingHandoffBelow());
  }

  @Test
  void holdoutControlsAndWindowAreValidatedBeforeSpark() {
    Settings d = Settings.load(null, List.of());
    assertEquals(new Settings.Incrementality(List.of("holdout", "control"), 30), d.incrementality());
    assertEquals(List.of("no_bot", "ctl"), Settings.load(null,
        List.of("incrementality.control-variants=[\" No_Bot \", CTL]")).incrementality().controlVariants());
    assertMessage("setting 'incrementality.control-variants': expected at least one variant name",
        "incrementality.control-variants=[]");
    assertMessage("setting 'incrementality.control-variants': contains an empty name",
        "incrementality.control-variants=[holdout, \" \"]");
    assertMessage("setting 'incrementality.window-days': expected an integer from 1 to 3650, got 0",
        "incrementality.window-days=0");
    assertMessage("setting 'incrementality.window-days': expected an integer from 1 to 3650, got 3651",
        "incrementality.window-days=3651");
    assertEquals(7, Settings.load(null, List.of("incrementality.window-days=7")).incrementality().windowDays());
  }

  @Test
  void theExampleProfilesLoad() {
    Settings local = Settings.load(Path.of("../conf/local.conf"), List.of());
    assertEquals(4, local.shufflePartitions());
    Settings cluster = Settings.load(Path.of("../conf/cluster.conf"), List.of());
    assertEquals(ZoneId.of("Europe/Berlin"), cluster.timezone());
    assertEquals("EUR", cluster.currency());
    assertEquals(6.10, cluster.costs().manualCostPerConversation());
  }

  @Test
  void formatsDefaultToContractAndNameABuiltInOrAHoconFile() {
    Settings d = Settings.load(null, List.of());
    assertEquals("contract", d.input().eventsFormat());
    assertEquals("hubspot", Settings.load(null, List.of("input.crm.format=HubSpot")).input().crmFormat());
    assertMessage("setting 'input.events.format': unknown format 'kafka' (available: contract, segment, mixpanel, ga4, rasa, botframework, or the path of a preset file)",
        "input.events.format=kafka");
    assertMessage("setting 'input.crm.format': unknown format 'segment'", "input.crm.format=segment");
    Path notHocon = Files2.write(dir.resolve("broken.conf"), "events { fields {");
    assertMessage("setting 'input.events.format': preset file " + notHocon + ": ", "input.events.format=" + notHocon);
    // what a preset means is checked by the ingest layer (ingest.preset.InputPresetsTest)
    Path noRules = Files2.write(dir.resolve("no-rules.conf"), "events { fields { event_id = id } }");
    assertEquals(noRules.toString(), Settings.load(null, List.of("input.events.format=" + noRules)).input().eventsFormat());
  }

  @Test
  void aMissingConfFileIsAClearError() {
    UserException e = assertThrows(UserException.class, () -> Settings.load(dir.resolve("none.conf"), List.of()));
    assertEquals("--conf " + dir.resolve("none.conf") + ": file not found", e.getMessage());
  }

  private static void assertMessage(String expectedStart, String override) {
    UserException e = assertThrows(UserException.class, () -> Settings.load(null, List.of(override)));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
