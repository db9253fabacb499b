package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.IngestedFilesTable;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.SessionConf;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SpendTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.ingest.preset.InputPresets;
import dev.chatbotroi.ingest.preset.Preset;
import dev.chatbotroi.ingest.preset.PresetMapper;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/** Stage `ingest`: new lake files → `events`, `leads`, `deals`, `tickets`, `spend`, `quarantine`; incremental by file. */
public final class IngestJob {
  private IngestJob() {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestJob.class);

  /**
   * The tables every ingest writes, even of no line: an ingest that finds no new file skips its
   * writes only once they exist (a first run over an empty lake still creates them).
   */
  public static final List<dev.chatbotroi.common.TableSchema> ALWAYS_WRITTEN =
      List.of(EventsTable.TABLE, QuarantineTable.TABLE);

  /** The progress line of an ingest that found no new file, after "ingest: ". */
  public static String nothingNew(int unchangedFiles) {
    return "nothing new: " + unchangedFiles + " files already ingested";
  }

  /** What one ingest did; {@link #summary()} is the one console line. */
  public record Result(JobRun.Counts counts, Map<String, Long> quarantinedByReason, int newFiles,
      int unchangedFiles, List<String> changedFiles, long unreadableFiles, double seconds,
      Map<String, Long> skipped) {
    /** An ingest that found no new file: nothing read, nothing written. */
    public static Result nothingNew(int unchangedFiles, List<String> changedFiles, double seconds) {
      return new Result(JobRun.Counts.NONE, Map.of(), 0, unchangedFiles, changedFiles, 0, seconds, Map.of());
    }

    /** Records a preset skipped on purpose (docs/inputs.md): counted here, not quarantined, not in lines read. */
    public long skippedTotal() {
      return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public String summary() {
      return summaryCounts() + skippedSummary();
    }

    private String skippedSummary() {
      if (skipped.isEmpty()) {
        return "";
      }
      StringBuilder sb = new StringBuilder("\ningest: " + skippedTotal() + " records skipped by the input preset (");
      int shown = 0;
      for (Map.Entry<String, Long> e : skipped.entrySet()) {
        if (shown++ == 8) {
          sb.append(", … ").append(skipped.size() - 8).append(" more kinds");
          break;
        }
        sb.append(shown == 1 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
      }
      return sb.append(")").toString();
    }

    private String summaryCounts() {
      StringBuilder reasons = new StringBuilder();
      quarantinedByReason.forEach((r, n) -> reasons.append(reasons.length() == 0 ? "" : ", ").append(r).append(' ').append(n));
      return String.format(java.util.Locale.ROOT,
          "ingest: %d lines read, %d accepted, %d duplicates, %d quarantined%s; crm/help-desk/spend rows %d read, %d quarantined;"
              + " files %d new, %d already ingested, %d changed (not re-read)%s; %.1f s",
          counts.linesRead(), counts.eventsAccepted(), counts.duplicates(), counts.quarantined(),
          reasons.length() == 0 ? "" : " (" + reasons + ")",
          counts.crmRowsRead(), counts.crmRowsQuarantined(), newFiles, unchangedFiles,
          changedFiles.size(), unreadableFiles == 0 ? "" : ", " + unreadableFiles + " unreadable", seconds);
    }
  }

  /**
   * Ingests the lake's new files. When there are any, it holds the warehouse's ingest lock while it
   * stores them, so two runs that start together never both store the same new files.
   */
  public static Result run(Tables tables, String lake, Settings settings, String hashKey,
      String runId, PrintStream err) {
    long t0 = System.nanoTime();
    // the command line parsed them once already, before Spark started (Main); it is cheap to repeat
    InputPresets presets = InputPresets.of(settings.input());
    List<InputFile> files = LakeFiles.list(lake, tables.spark().sparkContext().hadoopConfiguration(), presets);
    Map<String, Row> recorded = ingestedFiles(tables);
    if (files.stream().allMatch(f -> recorded.containsKey(f.path()))) {
      // nothing new: no lock to take, and the bookkeeping just read is still what the run needs
      return ingest(tables, files, recorded, settings, presets, hashKey, runId, err, t0);
    }
    try (IngestLock lock = IngestLock.acquire(tables, runId, err)) {
      // `_ingested_files` is read again inside: a run that held the lock before may have stored some files
      if (presets.events() == null && LakeFiles.PRESET_TABLES.stream()
          .allMatch(t -> presets.presetFor(t) == null)) {
        return ingest(tables, files, ingestedFiles(tables), settings, presets, hashKey, runId, err, t0);
      }
      // every plan downstream of a preset's mapping is as wide as the mapping: without this, each
      // would first fail to compile (64 KB method limit) and only then fall back, seconds a plan
      return PresetMapper.withMappingConf(tables.spark(), () -> ingest(tables, files, ingestedFiles(tables), settings,
          presets, hashKey, runId, err, t0));
    }
  }

  /** `_ingested_files` by path: path, size, modification_time, run_id (one read, one small collect). */
  private static Map<String, Row> ingestedFiles(Tables tables) {
    Map<String, Row> known = new HashMap<>();
    for (Row r : tables.read(IngestedFilesTable.TABLE).select(IngestedFilesTable.PATH, IngestedFilesTable.SIZE,
        IngestedFilesTable.MODIFICATION_TIME, IngestedFilesTable.RUN_ID).collectAsList()) {
      known.put(r.getString(0), r);
    }
    return known;
  }

  private static Result ingest(Tables tables, List<InputFile> files, Map<String, Row> known, Settings settings,
      InputPresets presets, String hashKey, String runId, PrintStream err, long t0) {
    java.util.function.Consumer<String> step = msg -> {
      String line = String.format(java.util.Locale.ROOT, "ingest: %s (%.1f s)", msg, (System.nanoTime() - t0) / 1e9);
      err.println(line);
      LOG.info(line);
    };
    Instant now = Instant.now();
    var spark = tables.spark();
    List<InputFile> fresh = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    int unchanged = 0;
    for (InputFile f : files) {
      Row k = known.get(f.path());
      if (k == null) {
        fresh.add(f);
      } else if (f.unchangedSince(k.getLong(1), k.getLong(2))) {
        unchanged++;
      } else {
        changed.add(f.path());
        err.println("ingest: WARNING " + f.path() + " changed since run " + k.getString(3)
            + " ingested it (size " + k.getLong(1) + " -> " + f.size()
            + "); it is not re-read. Deliver new data as a new file.");
      }
    }

    if (fresh.isEmpty() && ALWAYS_WRITTEN.stream().allMatch(tables::exists)) {
      // nothing to read: no empty validation, no empty commits (a daily run's ingest of nothing new
      // was 20 Spark jobs and three commits of nothing)
      step.accept(nothingNew(unchanged));
      return Result.nothingNew(unchanged, changed, (System.nanoTime() - t0) / 1e9);
    }
    Timestamp at = Timestamp.from(now);
    forgetUnfinished(tables, fresh);
    List<InputFile> eventFiles = fresh.stream().filter(f -> f.source().equals("events")).toList();
    Preset eventsPreset = presets.events();
    Map<String, Long> skipped = new TreeMap<>();
    Dataset<Row> lines;
    Dataset<Row> mapped = null;
    if (eventsPreset == null) {
      lines = InputRows.eventLines(spark, eventFiles, false, settings.ingest().maxLineBytes());
    } else {
      // built, planned and run under the mapping settings (the JSON parser reads them at analysis)
      mapped = PresetMapper.withMappingConf(spark, () -> {
        Dataset<Row> cachedRows = PresetMapper.events(InputRows.eventLines(spark, eventFiles, true, settings.ingest().maxLineBytes()), eventsPreset)
            .persist(StorageLevel.MEMORY_AND_DISK());
        for (Row r : cachedRows.groupBy(PresetMapper.SKIPPED).count().collectAsList()) {
          if (!r.isNullAt(0)) {
            skipped.put(r.getString(0), r.getLong(1));
          }
        }
        return cachedRows;
      });
      lines = mapped.where(col(PresetMapper.SKIPPED).isNull());
    }
    // cached once, read by the counts, the events write and the quarantine write; a valid line's
    // raw text is dropped first (only quarantine keeps it): about a third of what the cache holds.
    // The rule chain over 60 columns is too wide for one generated method: with whole-stage code
    // generation Spark fails a 64 KB compile first, then falls back. The cached plan is planned
    // when persist is called, so the setting covers that call.
    Dataset<Row> input = lines;
    Dataset<Row> validated = SessionConf.with(spark, SessionConf.NO_WHOLE_STAGE, () ->
        EventRecords.validate(input, settings, hashKey)
            .withColumn(LineReader.RAW, when(col(EventRecords.REASON).isNotNull(), col(LineReader.RAW)))
            .persist(StorageLevel.MEMORY_AND_DISK()));

    Map<String, Long> byReason = new TreeMap<>();
    long linesRead = 0;
    long quarantined = 0;
    long unreadable = 0;
    for (Row r : validated.groupBy(col(EventRecords.REASON), col(LineReader.FILE_ERROR).isNotNull())
        .count().collectAsList()) {
      boolean fileError = r.getBoolean(1);
      long n = r.getLong(2);
      if (fileError) {
        unreadable += n;
        continue;
      }
      linesRead += n;
      if (!r.isNullAt(0)) {
        quarantined += n;
        byReason.merge(r.getString(0), n, Long::sum);
      }
    }

    Dataset<Row> quarantine = quarantineRows(validated, "events", hashKey, runId, at);
    Dataset<Row> valid = validated.where(col(EventRecords.REASON).isNull().and(col(LineReader.FILE_ERROR).isNull()));
    Dataset<Row> stored = tables.read(EventsTable.TABLE);
    Dataset<Row> kept = Dedup.events(valid, stored)
        .drop(EventRecords.REASON, EventRecords.DETAIL)
        .withColumnRenamed("reason_property", "reason")
        .withColumn("run_id", lit(runId))
        .withColumn("ingested_at", lit(at));
    // evolving: a warehouse written before the contract's latest properties still takes appends
    long accepted = tables.appendCountedEvolving(EventsTable.TABLE, kept);
    List<Dataset<Row>> cached = new ArrayList<>(List.of(validated));
    if (mapped != null) {
      cached.add(mapped);
    }
    step.accept("events: " + linesRead + " lines from " + eventFiles.size() + " new files, " + accepted + " stored");

    List<KeyedMerge.Result> keyed = new ArrayList<>();
    for (CrmRecords.Source source : CrmRecords.ALL) {
      List<InputFile> sourceFiles = fresh.stream().filter(f -> f.source().equals(source.name())).toList();
      if (sourceFiles.isEmpty()) {
        continue;
      }
      Dataset<Row> rows;
      Preset preset = presets.presetFor(source.name());
      if (preset == null) {
        rows = CrmRecords.validate(InputRows.tableRows(spark, sourceFiles, source, settings.ingest().maxLineBytes()), source,
            settings, hashKey)
            .persist(StorageLevel.MEMORY_AND_DISK());
      } else {
        Dataset<Row> cachedRows = PresetMapper.withMappingConf(spark, () -> {
          Dataset<Row> c = tableRows(spark, sourceFiles, source, settings, preset).persist(StorageLevel.MEMORY_AND_DISK());
          c.count();
          return c;
        });
        cached.add(cachedRows);
        rows = CrmRecords.validate(cachedRows, source, settings, hashKey).persist(StorageLevel.MEMORY_AND_DISK());
      }
      keyed.add(KeyedMerge.latest(tables, rows, source.name(), source.table(), List.of(source.idColumn()), hashKey,
          runId, at));
      cached.add(rows);
      step.accept(source.name() + ": " + sourceFiles.size() + " new files merged");
    }
    List<InputFile> spendFiles = fresh.stream().filter(f -> f.source().equals(SpendRecords.SOURCE)).toList();
    if (!spendFiles.isEmpty()) {
      Dataset<Row> rows = SpendRecords.validate(InputRows.tableRows(spark, spendFiles, SpendRecords.COLUMNS,
          settings.ingest().maxLineBytes()), settings, hashKey).persist(StorageLevel.MEMORY_AND_DISK());
      keyed.add(KeyedMerge.latest(tables, rows, SpendRecords.SOURCE, SpendTable.TABLE, SpendTable.KEY, hashKey,
          runId, at));
      cached.add(rows);
      step.accept(SpendRecords.SOURCE + ": " + spendFiles.size() + " new files merged");
    }
    // spend rows count with the CRM rows (docs/ingest.md#reconciliation-job_runs)
    long crmRead = keyed.stream().mapToLong(KeyedMerge.Result::read).sum();
    long crmQuarantined = keyed.stream().mapToLong(KeyedMerge.Result::quarantined).sum();
    for (KeyedMerge.Result k : keyed) {
      unreadable += k.unreadable();
      quarantine = quarantine.unionByName(k.quarantine());
    }

    // written last, while the validated rows are still cached: the quarantine is a view of them
    tables.append(QuarantineTable.TABLE, quarantine);
    cached.forEach(Dataset::unpersist);
    List<Row> fileRows = new ArrayList<>();
    for (InputFile f : fresh) {
      fileRows.add(RowFactory.create(f.path(), f.source(), f.size(), f.modificationTime(), runId, at));
    }
    tables.append(IngestedFilesTable.TABLE,
        spark.createDataFrame(fileRows, IngestedFilesTable.TABLE.schema()));

    JobRun.Counts counts = new JobRun.Counts(linesRead, accepted, linesRead - quarantined - accepted,
        quarantined, crmRead, crmQuarantined);
    return new Result(counts, byReason, fresh.size(), unchanged, changed, unreadable,
        (System.nanoTime() - t0) / 1e9, skipped);
  }

  /** The rows of one CRM / help-desk source, through its preset (docs/inputs.md) when one is set. */
  static Dataset<Row> tableRows(org.apache.spark.sql.SparkSession spark, List<InputFile> files,
      CrmRecords.Source source, Settings settings, Preset preset) {
    if (preset == null) {
      return InputRows.tableRows(spark, files, source, settings.ingest().maxLineBytes());
    }
    Preset.Section section = preset.section(source.name());
    List<String> wanted = PresetMapper.columnsRead(section);
    List<InputFile> json = files.stream().filter(f -> InputFile.NDJSON.equals(f.format())).toList();
    List<InputFile> cells = files.stream().filter(f -> !InputFile.NDJSON.equals(f.format())).toList();
    Dataset<Row> out = null;
    if (!cells.isEmpty()) {
      out = PresetMapper.table(InputRows.tableRows(spark, cells, wanted, settings.ingest().maxLineBytes()), true, section,
          source.headerColumns(), preset.name(), wanted);
    }
    if (!json.isEmpty()) {
      Dataset<Row> j = PresetMapper.table(LineReader.readRecords(spark, json,
          settings.ingest().maxLineBytes()),
          false, section, source.headerColumns(), preset.name(), wanted);
      out = out == null ? j : out.unionByName(j);
    }
    return out;
  }

  /**
   * Removes what a run that died before recording its files left of them. Those files are not in
   * `_ingested_files`, so they are read again now; without this their events would count as
   * duplicates of themselves and their quarantine rows would repeat. Files that were recorded
   * are never touched.
   */
  static void forgetUnfinished(Tables tables, List<InputFile> fresh) {
    if (fresh.isEmpty()) {
      return;
    }
    Object[] paths = fresh.stream().map(InputFile::path).toArray();
    for (var table : List.of(EventsTable.TABLE, QuarantineTable.TABLE)) {
      Column leftovers = col(LineReader.SOURCE_FILE).isin(paths);
      // almost always nothing is left: a look (one small job, file statistics skip most of the
      // table) is far cheaper than a DELETE, which rewrites nothing but still scans every file
      if (tables.anyRow(table, leftovers)) {
        tables.deleteWhere(table, leftovers);
      }
    }
  }

  /**
   * The raw text quarantine keeps: addresses hashed, then a too-long line's prefix cut to 64 KiB on
   * a character boundary (the reader kept a margin, so no address was cut before it was hashed). No
   * built-in cuts a string to a number of UTF-8 bytes, hence a UDF, run on too-long lines only.
   */
  static Column quarantinedRaw(Column raw, String hashKey) {
    Column scrubbed = Pii.scrubColumn(hashKey, raw);
    Column tooLong = col(EventRecords.REASON).equalTo("malformed_json")
        .and(col(EventRecords.DETAIL).equalTo(ByteLines.TOO_LONG));
    org.apache.spark.sql.api.java.UDF1<String, String> cut = s -> LineReader.prefix(s, ByteLines.RAW_PREFIX_BYTES);
    Column prefix = org.apache.spark.sql.functions.udf(cut, DataTypes.StringType).withName("raw_prefix").apply(scrubbed);
    return when(tooLong, prefix).otherwise(scrubbed);
  }

  /**
   * Quarantine rows of one source: invalid lines (addresses in them hashed) plus one row per file
   * that failed part-way.
   */
  static Dataset<Row> quarantineRows(Dataset<Row> validated, String source, String hashKey,
      String runId, Timestamp at) {
    Column fileError = col(LineReader.FILE_ERROR).isNotNull();
    return validated
        .where(col(EventRecords.REASON).isNotNull().or(fileError))
        .select(
            lit(source).as(QuarantineTable.SOURCE),
            col(LineReader.SOURCE_FILE).as(QuarantineTable.SOURCE_FILE),
            when(fileError, lit(QuarantineTable.UNREADABLE_FILE)).otherwise(col(EventRecords.REASON))
                .as(QuarantineTable.REASON),
            when(fileError, col(LineReader.FILE_ERROR)).otherwise(col(EventRecords.DETAIL))
                .as(QuarantineTable.DETAIL),
            quarantinedRaw(col(LineReader.RAW), hashKey).as(QuarantineTable.RAW),
            lit(runId).as(QuarantineTable.RUN_ID),
            lit(at).cast(DataTypes.TimestampType).as(QuarantineTable.INGESTED_AT));
  }
}
