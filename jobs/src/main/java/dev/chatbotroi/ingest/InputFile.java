package dev.chatbotroi.ingest;

/** One input file found in the lake: where, which table it feeds, and the identity used for incrementality. */
public record InputFile(String path, String source, String format, long size, long modificationTime) {
  public static final String NDJSON = "ndjson";
  public static final String PARQUET = "parquet";
  public static final String CSV = "csv";
}
