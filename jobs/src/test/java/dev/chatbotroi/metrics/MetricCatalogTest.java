package dev.chatbotroi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.SettingKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The metric catalogue is the one definition: docs, scoreboard and band settings follow it (no Spark). */
class MetricCatalogTest {
  static final Path DOC = Path.of("../docs/metrics.md");
  static final String START = "<!-- metric-catalogue:start (generated from MetricCatalog; MetricCatalogTest keeps it current) -->\n";
  static final String END = "<!-- metric-catalogue:end -->";

  @Test
  void theDocsTableIsTheCatalogue() throws IOException {
    String doc = Files.readString(DOC);
    int from = doc.indexOf(START);
    int to = doc.indexOf(END);
    assertTrue(from >= 0 && to > from, "docs/metrics.md has the catalogue markers");
    String generated = doc.substring(0, from + START.length()) + MetricCatalog.markdown() + doc.substring(to);
    if (Boolean.getBoolean("catalogue.write")) {
      Files.writeString(DOC, generated);
    }
    assertEquals(generated, Files.readString(DOC), "docs/metrics.md is stale: regenerate it with "
        + "mvn -pl jobs test -Dtest=MetricCatalogTest -Dcatalogue.write=true");
  }

  @Test
  void everyBandOfTheCatalogueIsASettingAndNoOtherIs() {
    Set<String> settings = new TreeSet<>();
    for (String key : SettingKeys.all()) {
      String[] p = key.split("\\.");
      if (p[0].equals("benchmarks") && p.length >= 3) {
        settings.add(p[1]);
      }
    }
    Set<String> catalogue = new TreeSet<>();
    MetricCatalog.ALL.stream().filter(m -> m.band() != null).forEach(m -> catalogue.add(m.band()));
    assertEquals(catalogue, settings, "benchmarks.* bands in reference.conf");
  }

  @Test
  void namesAreUniqueAndTheScoreboardShowsTheHeadline() {
    Set<String> names = new HashSet<>();
    MetricCatalog.ALL.forEach(m -> assertTrue(names.add(m.name()), "twice: " + m.name()));
    assertEquals(ScoreboardWeeklyTable.HEADLINE, MetricCatalog.headlineNames());
    MetricCatalog.ALL.stream().filter(m -> m.baseline() != null)
        .forEach(m -> assertTrue(names.contains(m.baseline()), m.name() + "'s baseline is a metric"));
  }
}
