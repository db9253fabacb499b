package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lake listing: nested `dt=`/`hr=` folders in one recursive listing, tool files and hidden folders skipped. */
class LakeFilesTest {
  @TempDir Path lake;

  @Test
  void listsNestedHourlyFoldersAndSkipsToolFiles() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int d = 1; d <= 3; d++) {
      for (int h = 0; h < 24; h++) {
        Path dir = lake.resolve("events/dt=2026-03-0" + d + "/hr=" + String.format("%02d", h));
        Files.createDirectories(dir);
        Path f = dir.resolve("part-0.ndjson");
        Files.writeString(f, "{}\n");
        expected.add(f.toString());
        Files.writeString(dir.resolve(".part-0.ndjson.crc"), "x");
      }
    }
    Path gz = lake.resolve("events/dt=2026-03-04/a.jsonl.gz");
    Files.createDirectories(gz.getParent());
    Files.write(gz, new byte[0]);
    expected.add(gz.toString());
    Files.writeString(lake.resolve("events/_SUCCESS"), "");
    Files.createDirectories(lake.resolve("events/_delta_log"));
    Files.writeString(lake.resolve("events/_delta_log/00000.json"), "{}");
    Files.createDirectories(lake.resolve("events/.staging/dt=2026-03-05"));
    Files.writeString(lake.resolve("events/.staging/dt=2026-03-05/x.ndjson"), "{}");
    Files.writeString(lake.resolve("events/notes.txt"), "not data");
    Files.createDirectories(lake.resolve("crm"));
    Files.writeString(lake.resolve("crm/leads.csv"), "lead_id\n");

    List<InputFile> files = LakeFiles.list(lake.toString(), dev.chatbotroi.testing.TestSpark.hadoopConf(), Set.of(), false);
    List<String> events = files.stream().filter(f -> f.source().equals("events"))
        .map(f -> java.net.URI.create(f.path()).getPath()).toList();
    assertEquals(expected.stream().sorted().toList(), events);
    assertEquals(List.of("leads"), files.stream().map(InputFile::source).filter(s -> !s.equals("events")).toList());
  }

  @Test
  void hiddenLooksAtEveryFolderOnTheWay() {
    assertTrue(LakeFiles.hidden("/_delta_log/0.json"));
    assertTrue(LakeFiles.hidden("/dt=1/.tmp/a.ndjson"));
    assertTrue(LakeFiles.hidden("/dt=1/_SUCCESS"));
    assertFalse(LakeFiles.hidden("/dt=1/hr=00/part_0.ndjson"));
  }
}
