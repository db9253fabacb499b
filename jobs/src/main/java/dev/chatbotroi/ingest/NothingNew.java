package dev.chatbotroi.ingest;

import dev.chatbotroi.common.IngestedFilesTable;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.KernelTables;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.ingest.preset.InputPresets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Whether an ingest would find nothing to do, decided without Spark: the lake listed as ingest lists
 * it, `_ingested_files` read through Delta Kernel; grain: one ingest. It answers only the plain case
 * (every file recorded and unchanged, the tables an ingest writes already there); anything else,
 * a changed file's warning included, is left to the ingest itself.
 */
public final class NothingNew {
  private NothingNew() {}

  /** What the Spark ingest needs to skip its writes, and the table this check appends its row to. */
  private static final List<dev.chatbotroi.common.TableSchema> REQUIRED = java.util.stream.Stream.concat(
      IngestJob.ALWAYS_WRITTEN.stream(), java.util.stream.Stream.of(JobRunsTable.TABLE)).toList();

  /**
   * The result an ingest would report when every lake file is recorded in `_ingested_files` with its
   * size and modification time, and the tables exist; empty when Spark has work to do.
   * {@code t0} is the command's start ({@link System#nanoTime()}), for the reported seconds.
   */
  public static Optional<IngestJob.Result> check(String lake, KernelTables warehouse, Settings settings,
      Configuration conf, long t0) {
    List<InputFile> files = LakeFiles.list(lake, conf, InputPresets.of(settings.input()));
    for (var table : REQUIRED) {
      if (!warehouse.exists(table)) {
        return Optional.empty();
      }
    }
    Map<String, Object[]> recorded = new HashMap<>();
    for (Object[] r : warehouse.read(IngestedFilesTable.TABLE, List.of(IngestedFilesTable.PATH,
        IngestedFilesTable.SIZE, IngestedFilesTable.MODIFICATION_TIME))) {
      recorded.put((String) r[0], r);
    }
    for (InputFile f : files) {
      Object[] r = recorded.get(f.path());
      if (r == null || r[1] == null || r[2] == null || !f.unchangedSince((Long) r[1], (Long) r[2])) {
        return Optional.empty();
      }
    }
    return Optional.of(IngestJob.Result.nothingNew(files.size(), List.of(), (System.nanoTime() - t0) / 1e9));
  }
}
