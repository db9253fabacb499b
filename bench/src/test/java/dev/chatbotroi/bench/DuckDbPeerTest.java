package dev.chatbotroi.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.export.CsvExport;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.Runs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's peer (issue 7): DuckDB's SQL over a generated lake agrees with our day × intent metrics. */
class DuckDbPeerTest {

  @TempDir Path dir;

  @Test
  void duckDbAgreesWithOurMetricsAndCatchesADifference() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 4, 25, 7L));
    Tables tables = Runs.pipeline(lake, dir.resolve("wh"));
    Path csv = dir.resolve("csv");
    CsvExport.write(tables, OutputTables.EXPORTED, csv.toString(), true);

    String out = peer(lake, csv);
    assertTrue(out.contains("duckdb: cross-check OK"), out);
    assertTrue(out.contains("duckdb: conversation facts OK"), out);

    // one metric value changed in a copy of our export: the peer must name it
    Path tampered = dir.resolve("tampered");
    Files.createDirectories(tampered);
    List<String> lines = Files.readAllLines(csv.resolve("metrics.csv"), StandardCharsets.UTF_8);
    // period_grain, period_start, channel, flow, intent, metric, numerator, denominator, value, …
    int row = -1;
    String[] cells = null;
    for (int i = 1; i < lines.size() && row < 0; i++) {
      cells = lines.get(i).split(",", -1);
      if (cells[0].equals("day") && cells[2].equals("(all)") && cells[3].equals("(all)")
          && !cells[4].startsWith("(") && cells[5].equals("conversations")) {
        row = i;
      }
    }
    assertTrue(row > 0, "a day × intent conversations row in metrics.csv");
    cells[6] = String.valueOf(Long.parseLong(cells[6]) + 1);
    cells[8] = String.valueOf(Long.parseLong(cells[8]) + 1);
    lines.set(row, String.join(",", cells));
    Files.write(tampered.resolve("metrics.csv"), lines, StandardCharsets.UTF_8);
    Exception e = assertThrows(Exception.class, () -> peer(lake, tampered));
    assertTrue(String.valueOf(e.getMessage()).contains("conversations"), e.getMessage());
  }

  private static String peer(Path lake, Path metrics) throws Exception {
    PrintStream before = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      DuckDbPeer.main(new String[] {"--lake", lake.toString(), "--metrics", metrics.toString(), "--threads", "2"});
    } finally {
      System.setOut(before);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
