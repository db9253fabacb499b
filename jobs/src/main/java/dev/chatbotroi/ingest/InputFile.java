package dev.chatbotroi.ingest;

/** One input file found in the lake: where, which table it feeds, and the identity used for incrementality. */
public record InputFile(String path, String source, String format, long size, long modificationTime) {
  public static final String NDJSON = "ndjson";
  public static final String PARQUET = "parquet";
  public static final String CSV = "csv";

  /** Whether the file is still as ingest recorded it (size and modification time); a changed file is not re-read. */
  public boolean unchangedSince(long recordedSize, long recordedModificationTime) {
    return size == recordedSize && modificationTime == recordedModificationTime;
  }
}
