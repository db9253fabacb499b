package dev.chatbotroi.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Packs input files into read tasks by size, as Spark's own file sources do
 * (`spark.sql.files.maxPartitionBytes`, `spark.sql.files.openCostInBytes`): a lake of 10,000 small
 * files becomes a few tasks, not 10,000; grain: one task's bin of whole files (a file is never
 * split: line numbers count from its start, and a .gz cannot be split).
 */
final class FileBins {
  private FileBins() {}

  /** Separates the paths of one bin; a path never holds a newline. */
  private static final String SEPARATOR = "\n";

  /** The bins, each the paths of its files joined by a newline, in bin order. */
  static List<String> pack(List<InputFile> files, SparkSession spark) {
    SQLConf conf = SQLConf.get();
    long maxBytes = conf.filesMaxPartitionBytes();
    long openCost = conf.filesOpenCostInBytes();
    int parallelism = spark.sparkContext().defaultParallelism();
    return pack(files, maxBytes, openCost, parallelism);
  }

  /**
   * Spark's rule: a bin holds up to min(maxBytes, max(openCost, total / parallelism)) bytes, every
   * file counting its size plus the open cost; files go in largest first, a new bin when the next
   * would overflow the current one.
   */
  static List<String> pack(List<InputFile> files, long maxBytes, long openCost, int parallelism) {
    long total = 0;
    for (InputFile f : files) {
      total += f.size() + openCost;
    }
    long binBytes = Math.min(maxBytes, Math.max(openCost, total / Math.max(1, parallelism)));
    List<InputFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(InputFile::size).reversed().thenComparing(InputFile::path));
    List<String> bins = new ArrayList<>();
    StringBuilder bin = new StringBuilder();
    long used = 0;
    for (InputFile f : bySize) {
      if (bin.length() > 0 && used + f.size() > binBytes) {
        bins.add(bin.toString());
        bin.setLength(0);
        used = 0;
      }
      bin.append(bin.length() == 0 ? "" : SEPARATOR).append(f.path());
      used += f.size() + openCost;
    }
    if (bin.length() > 0) {
      bins.add(bin.toString());
    }
    return bins;
  }

  static List<String> paths(String bin) {
    return List.of(bin.split(SEPARATOR));
  }
}
