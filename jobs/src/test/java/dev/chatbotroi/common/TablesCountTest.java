package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row counts come from this write's own commit: another run that commits to the same table between
 * our commit and the count (the moment a test hook makes it happen) does not change them.
 */
class TablesCountTest {
  @TempDir Path dir;

  static Dataset<Row> rows(int n, String source) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(source, "f", "missing_field", "event_id", "{}", "r", new Timestamp(0)));
    }
    return TestSpark.session().createDataFrame(out, QuarantineTable.TABLE.schema());
  }

  /** Another run commits {@code n} rows to `quarantine` the next time a count of it is read. */
  void meanwhile(Tables other, int n) {
    Faults.hook("counted:" + QuarantineTable.TABLE.name(), () -> other.append(QuarantineTable.TABLE, rows(n, "other")));
  }

  @AfterEach
  void clearHooks() {
    Faults.reset();
  }

  @Test
  void everyCountedWriteCountsItsOwnCommit() {
    Tables mine = new Tables(TestSpark.session(), dir.toString()).forRun("run-mine");
    Tables other = new Tables(TestSpark.session(), dir.toString()).forRun("run-other");
    mine.ensure(QuarantineTable.TABLE);

    meanwhile(other, 5);
    assertEquals(3, mine.appendCounted(QuarantineTable.TABLE, rows(3, "mine")));
    meanwhile(other, 7);
    assertEquals(2, mine.replaceWhereCounted(QuarantineTable.TABLE, rows(2, "mine"), "source = 'mine'"));
    meanwhile(other, 4);
    assertEquals(2, mine.deleteWhereCounted(QuarantineTable.TABLE, col("source").equalTo("mine")));
    meanwhile(other, 6);
    assertEquals(1, mine.overwriteCounted(QuarantineTable.TABLE, rows(1, "mine")));
    meanwhile(other, 2);
    assertEquals(0, mine.appendCounted(QuarantineTable.TABLE, rows(0, "mine")), "an empty append counts 0");
    // the commits name the run that made them (DESCRIBE HISTORY shows it)
    long tagged = io.delta.tables.DeltaTable.forPath(TestSpark.session(), mine.path(QuarantineTable.TABLE)).history()
        .where(col("userMetadata").startsWith("run-mine#")).count();
    assertTrue(tagged >= 5, "ensure, append, replaceWhere, delete and overwrite (the empty append may commit too): " + tagged);
  }
}
