package dev.chatbotroi.ingest;

import dev.chatbotroi.common.UserException;
import dev.chatbotroi.ingest.preset.InputPresets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Lists the input files of a lake (docs/ingest.md#the-lake), sorted by path; names Spark would ignore are skipped. */
public final class LakeFiles {
  private LakeFiles() {}

  /** The CRM and help-desk tables, which an input preset may read from JSON files instead of CSV. */
  public static final List<String> PRESET_TABLES = List.of("leads", "deals", "tickets");

  /** The lake's files as {@code presets} read them: see {@link #list(String, Configuration, java.util.Set, boolean)}. */
  public static List<InputFile> list(String lake, Configuration conf, InputPresets presets) {
    java.util.Set<String> jsonTables = new java.util.HashSet<>();
    for (String t : PRESET_TABLES) {
      if (presets.presetFor(t) != null) {
        jsonTables.add(t);
      }
    }
    return list(lake, conf, jsonTables, presets.events() != null);
  }

  /**
   * Events, then leads, deals, tickets, spend; each list sorted by path; a missing crm/, helpdesk/
   * or marketing/ is fine. The tables in {@code jsonTables} (read through a preset, docs/inputs.md) also take
   * `.json` / `.ndjson` / `.jsonl` files, e.g. a help-desk API dump; with {@code transcripts} (an
   * events preset is set), `events/` also takes `.transcript` files, the name Bot Framework tools
   * give their JSON transcripts.
   */
  public static List<InputFile> list(String lake, Configuration conf, java.util.Set<String> jsonTables,
      boolean transcripts) {
    Path root = new Path(lake);
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        throw new UserException("lake folder not found: " + lake);
      }
      Path events = new Path(root, "events");
      if (!fs.exists(events)) {
        throw new UserException("lake has no events folder: " + events);
      }
      List<InputFile> out = new ArrayList<>(walk(fs, events, "events", true, false, transcripts));
      out.addAll(table(fs, new Path(root, "crm"), "leads", jsonTables.contains("leads")));
      out.addAll(table(fs, new Path(root, "crm"), "deals", jsonTables.contains("deals")));
      out.addAll(table(fs, new Path(root, "helpdesk"), "tickets", jsonTables.contains("tickets")));
      out.addAll(spend(fs, new Path(root, "marketing")));
      return out;
    } catch (IOException e) {
      throw new UserException("cannot list lake " + lake + ": " + e.getMessage(), e);
    }
  }

  private static List<InputFile> table(FileSystem fs, Path dir, String name, boolean json) throws IOException {
    Path file = new Path(dir, name + ".csv");
    if (fs.isFile(file)) {
      FileStatus st = fs.getFileStatus(file);
      return List.of(new InputFile(st.getPath().toString(), name, InputFile.CSV, st.getLen(),
          st.getModificationTime()));
    }
    Path jsonFile = new Path(dir, name + ".json");
    if (json && fs.isFile(jsonFile)) {
      FileStatus st = fs.getFileStatus(jsonFile);
      return List.of(new InputFile(st.getPath().toString(), name, InputFile.NDJSON, st.getLen(),
          st.getModificationTime()));
    }
    // a folder named like the file (what Spark writes for crm/leads.csv), else one without the extension
    for (Path folder : List.of(file, new Path(dir, name))) {
      if (fs.isDirectory(folder)) {
        return walk(fs, folder, name, false, json, false);
      }
    }
    return List.of();
  }

  /**
   * `marketing/spend.csv`: the file, else the CSV files (`.csv`, `.csv.gz`) below a folder of that
   * very name; unlike the CRM inputs, no folder without the extension and no Parquet (docs/ingest.md).
   */
  private static List<InputFile> spend(FileSystem fs, Path dir) throws IOException {
    Path file = new Path(dir, SpendRecords.SOURCE + ".csv");
    if (fs.isFile(file)) {
      FileStatus st = fs.getFileStatus(file);
      return List.of(new InputFile(st.getPath().toString(), SpendRecords.SOURCE, InputFile.CSV, st.getLen(),
          st.getModificationTime()));
    }
    if (!fs.isDirectory(file)) {
      return List.of();
    }
    return walk(fs, file, SpendRecords.SOURCE, false, false, false).stream()
        .filter(f -> InputFile.CSV.equals(f.format())).toList();
  }

  /**
   * Every data file below {@code dir}. On a cluster file system, one recursive listing
   * ({@link FileSystem#listFiles}), not a listing per folder: on an object store that is one paged
   * LIST of the prefix however many `dt=` / `hr=` folders there are, and on HDFS the namenode
   * streams it. On the local file system, a walk of plain listings: Hadoop's recursive listing
   * there builds a located status per file, which reads each file's permissions by starting an
   * `ls` process, about 6 ms a file (10 minutes for 100,000 files).
   */
  private static List<InputFile> walk(FileSystem fs, Path dir, String source, boolean events, boolean json,
      boolean transcripts) throws IOException {
    List<InputFile> out = new ArrayList<>();
    String base = fs.makeQualified(dir).toUri().getPath();
    for (FileStatus st : files(fs, dir)) {
      String path = st.getPath().toUri().getPath();
      String below = path.startsWith(base) ? path.substring(base.length()) : st.getPath().getName();
      if (hidden(below)) {
        continue; // _SUCCESS, _delta_log/, .crc, .part-*.crc: written by tools, never data
      }
      String name = st.getPath().getName();
      String format = formatOf(name, events);
      if (format == null && json) {
        format = formatOf(name, true);
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (format == null && transcripts && (lower.endsWith(".transcript") || lower.endsWith(".transcript.gz"))) {
        format = InputFile.NDJSON;
      }
      if (format != null) {
        out.add(new InputFile(st.getPath().toString(), source, format, st.getLen(), st.getModificationTime()));
      }
    }
    out.sort(Comparator.comparing(InputFile::path));
    return out;
  }

  /** The files below {@code dir}, at any depth (hidden folders are skipped by the caller). */
  private static List<FileStatus> files(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (!"file".equals(fs.getScheme())) {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        out.add(it.next());
      }
      return out;
    }
    java.util.ArrayDeque<Path> folders = new java.util.ArrayDeque<>(List.of(dir));
    while (!folders.isEmpty()) {
      for (FileStatus st : fs.listStatus(folders.pop())) {
        if (st.isDirectory()) {
          folders.push(st.getPath());
        } else {
          out.add(st);
        }
      }
    }
    return out;
  }

  /** Whether a file or any folder on its way below the listed folder starts with `_` or `.`. */
  static boolean hidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String formatOf(String fileName, boolean events) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
      if (events && (n.endsWith(".json") || n.endsWith(".ndjson") || n.endsWith(".jsonl"))) {
        return InputFile.NDJSON;
      }
      return !events && n.endsWith(".csv") ? InputFile.CSV : null;
    }
    if (n.endsWith(".parquet")) {
      return InputFile.PARQUET;
    }
    if (events) {
      return n.endsWith(".json") || n.endsWith(".ndjson") || n.endsWith(".jsonl") ? InputFile.NDJSON : null;
    }
    return n.endsWith(".csv") ? InputFile.CSV : null;
  }
}
