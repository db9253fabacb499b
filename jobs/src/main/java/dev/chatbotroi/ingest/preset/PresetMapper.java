package dev.chatbotroi.ingest.preset;

import dev.chatbotroi.ingest.preset.Preset.Section;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Applies an input preset (docs/inputs.md): foreign records → event envelopes (zero or more per
 * record) or CRM / help-desk columns (docs/ingest.md), before any validation. Everything is Spark built-ins over VARIANT; the
 * preset only chooses paths, maps and conditions. Grain: one output row per emitted event, per
 * skipped or unmappable item, and per record passed through unparsed.
 */
public final class PresetMapper {
  private PresetMapper() {}

  /** The record as read, kept for quarantine when {@code raw} is replaced by the envelope. */
  public static final String ORIGINAL = "original_raw";
  /** Set on items the preset cannot map: "preset: missing path". Becomes reason `unmappable`. */
  public static final String UNMAPPABLE = "unmappable_detail";
  /** Set on items the preset skips on purpose (counted, not quarantined): "preset: what". */
  public static final String SKIPPED = "skipped";

  /**
   * Runs {@code body} (which should persist and materialise what it maps) with the two session
   * settings a mapping needs, restored afterwards so nothing else in the run changes:
   * <ul>
   *   <li>whole-stage code generation off: a mapping is hundreds of small expressions in a few
   *       projections; fused into one generated method they pass the JVM's 64 KB limit, and Spark
   *       would only fall back after a slow failed compile. Per-expression code generation splits
   *       them fine;</li>
   *   <li>duplicate JSON keys allowed, the last one winning, as the vendors' own parsers read them
   *       (Rasa's test trackers repeat `metadata`). The contract format still rejects them.</li>
   * </ul>
   */
  public static <T> T withMappingConf(org.apache.spark.sql.SparkSession spark,
      java.util.function.Supplier<T> body) {
    Map<String, String> conf = Map.of("spark.sql.codegen.wholeStage", "false",
        "spark.sql.variant.allowDuplicateKeys", "true");
    return dev.chatbotroi.common.SessionConf.with(spark, conf, body);
  }

  /** Event records ({@link dev.chatbotroi.ingest.LineReader#SCHEMA}) → envelope rows in the same schema plus the three columns above. */
  public static Dataset<Row> events(Dataset<Row> records, Preset preset) {
    return EventMapping.map(records, preset);
  }

  /**
   * Table rows as {@link dev.chatbotroi.ingest.InputRows#tableRows} gives them for {@code wanted} (lower-cased header
   * names), or JSON records → the CRM / help-desk string columns of {@code target} plus {@link #UNMAPPABLE}.
   */
  public static Dataset<Row> table(Dataset<Row> rows, boolean csv, Section s, List<String> targets, String presetName,
      List<String> wanted) {
    return TableMapping.map(rows, csv, s, targets, presetName, wanted);
  }

  /** The lower-cased first segment of every path a table section reads: the CSV columns to keep. */
  public static List<String> columnsRead(Section s) {
    return TableMapping.columnsRead(s);
  }
}
