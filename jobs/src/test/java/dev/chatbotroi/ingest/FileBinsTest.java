package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Small files are packed into few read tasks by size; big ones get a task each; no file is lost or split. */
class FileBinsTest {
  static final long MB = 1 << 20;

  static InputFile file(String path, long size) {
    return new InputFile(path, "events", InputFile.NDJSON, size, 0);
  }

  @Test
  void tenThousandSmallFilesMakeAFewTasks() {
    List<InputFile> files = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      files.add(file(String.format("/lake/events/dt=%05d/part.ndjson", i), 20_000));
    }
    // Spark's defaults: 128 MB a task, 4 MB to open a file, 2 cores
    List<String> bins = FileBins.pack(files, 128 * MB, 4 * MB, 2);
    // each file counts 20,000 B + 4 MiB; a file still goes in while the bin's count plus its own size
    // stays within 128 MiB, which holds for 32 of them (31 × 4,214,304 + 20,000 ≤ 134,217,728):
    // 10,000 files make 313 bins
    assertEquals(313, bins.size());
    Set<String> seen = new HashSet<>();
    bins.forEach(b -> seen.addAll(FileBins.paths(b)));
    assertEquals(10_000, seen.size(), "every file in exactly one bin");
  }

  @Test
  void aFewFilesSpreadOverTheCoresAndBigOnesStayAlone() {
    // 4 files of 10 MB on 2 cores: total 56 MB with open costs, so a bin holds 28 MB: two files each
    List<InputFile> four = List.of(file("/a", 10 * MB), file("/b", 10 * MB), file("/c", 10 * MB), file("/d", 10 * MB));
    List<String> bins = FileBins.pack(four, 128 * MB, 4 * MB, 2);
    assertEquals(List.of("/a\n/b", "/c\n/d"), bins);
    // a 300 MB file is never split, and is packed with nothing
    List<String> big = FileBins.pack(List.of(file("/big", 300 * MB), file("/small", MB)), 128 * MB, 4 * MB, 2);
    assertEquals(List.of("/big", "/small"), big);
  }

  @Test
  void oneFileIsOneTask() {
    assertEquals(List.of("/only"), FileBins.pack(List.of(file("/only", 5)), 128 * MB, 4 * MB, 8));
    assertTrue(FileBins.pack(List.of(), 128 * MB, 4 * MB, 2).isEmpty());
  }
}
