package dev.chatbotroi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.RevenueAttributionTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.SharedLake;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same lake delivered three times (copies under other names and folders) gives the metrics of one delivery. */
@org.junit.jupiter.api.Tag("pipeline")
class RedeliveryTest {

  @TempDir Path dir;

  private Tables run(Path lake, String name) {
    Tables tables = new Tables(TestSpark.session(), dir.resolve(name).toString());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CommandRun.logged(tables, "run", null, null, (t, runId) -> Pipeline.run(
        new StageContext(t, TestSpark.settings(), runId, lake.toString(), quiet, quiet), Pipeline.RUN, null));
    return tables;
  }

  @Test
  void threeDeliveriesEqualOne() throws IOException {
    Path once = SharedLake.lake();
    Path thrice = dir.resolve("thrice");
    try (Stream<Path> files = Files.walk(once)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path rel = once.relativize(f);
        for (int copy = 1; copy <= 3; copy++) {
          Path target;
          if (rel.startsWith("events")) {
            // another folder and another name, same extension
            String name = rel.getFileName().toString();
            target = thrice.resolve("events/delivery-" + copy).resolve(rel.subpath(1, rel.getNameCount()))
                .resolveSibling("copy" + copy + "-" + name);
          } else {
            // crm/leads.csv → crm/leads/copy1.csv: a folder of CSV files
            String table = rel.getFileName().toString().replace(".csv", "");
            target = thrice.resolve(rel.getParent()).resolve(table).resolve("copy" + copy + ".csv");
          }
          Files.createDirectories(target.getParent());
          Files.copy(f, target);
        }
      }
    }
    // one delivery: the shared lake's full run, made once per test JVM
    var one = SharedLake.referenceExports();
    Tables three = run(thrice, "wh-thrice");
    for (var table : List.of(MetricsTable.TABLE, RevenueAttributionTable.TABLE)) {
      assertEquals(one.get(table.name()), DataFrameAssert.sortedText(three.read(table)), table.name());
    }
  }
}
