package dev.chatbotroi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DataFrame equality for tests (stands in for spark-testing-base, which is only published for
 * Spark 3.3): same schema, same rows as a multiset, reported as sorted text on failure.
 */
public final class DataFrameAssert {
  private DataFrameAssert() {}

  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema().simpleString(), actual.schema().simpleString(), "schema");
    assertEquals(sortedText(expected), sortedText(actual));
  }

  /** Rows as sorted lines of text: order-independent and readable in a failure diff. */
  public static List<String> sortedText(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }
}
