package dev.chatbotroi.common;

import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a small warehouse table and appends one row to one, through Delta Kernel, without a Spark
 * session: what lets an ingest that finds nothing new answer in seconds instead of paying a Spark
 * start (docs/operations.md#an-ingest-that-finds-nothing-new). Only string, long, date and timestamp
 * columns; grain: one table, one call. Anything it cannot do throws, and the caller starts Spark.
 */
public final class KernelTables {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelTables.class);
  private final Engine engine;
  private final String warehouse;

  public KernelTables(Configuration conf, String warehouse) {
    this.engine = DefaultEngine.create(conf);
    this.warehouse = warehouse;
  }

  private Optional<Snapshot> snapshot(TableSchema table) {
    try {
      return Optional.of(Table.forPath(engine, table.pathIn(warehouse)).getLatestSnapshot(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  public boolean exists(TableSchema table) {
    return snapshot(table).isPresent();
  }

  /**
   * The named columns of every row, in no order (empty when the table does not exist); for tables
   * of bookkeeping size: every row is held in memory.
   */
  public List<Object[]> read(TableSchema table, List<String> columns) {
    Optional<Snapshot> snapshot = snapshot(table);
    if (snapshot.isEmpty()) {
      return List.of();
    }
    StructType stored = snapshot.get().getSchema();
    List<StructField> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(stored.get(c));
    }
    Scan scan = snapshot.get().getScanBuilder().withReadSchema(new StructType(fields)).build();
    io.delta.kernel.data.Row state = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
    List<Object[]> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            io.delta.kernel.data.Row scanFile = scanFiles.next();
            CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(scanFile)),
                    physical, Optional.empty())
                .map(FileReadResult::getData);
            try (CloseableIterator<io.delta.kernel.data.Row> rows =
                     Utils.intoRows(Scan.transformPhysicalData(engine, state, scanFile, data))) {
              while (rows.hasNext()) {
                out.add(values(rows.next(), columns.size()));
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Object[] values(io.delta.kernel.data.Row row, int n) {
    Object[] v = new Object[n];
    for (int i = 0; i < n; i++) {
      DataType t = row.getSchema().at(i).getDataType();
      if (row.isNullAt(i)) {
        v[i] = null;
      } else if (t instanceof StringType) {
        v[i] = row.getString(i);
      } else if (t instanceof LongType) {
        v[i] = row.getLong(i);
      } else {
        throw new IllegalStateException("KernelTables reads string and long columns only, not " + t);
      }
    }
    return v;
  }

  /**
   * Appends one row, given as a Spark row of {@code table}'s schema, by column name into the stored
   * schema; a stored column the row lacks (or the reverse) stops it, as does any protocol feature
   * Kernel cannot write.
   */
  public void appendRow(TableSchema table, org.apache.spark.sql.Row sparkRow, String engineInfo) {
    Table t = Table.forPath(engine, table.pathIn(warehouse));
    Transaction txn = t.createTransactionBuilder(engine, engineInfo, Operation.WRITE).build(engine);
    StructType schema = txn.getSchema(engine);
    org.apache.spark.sql.types.StructType ours = table.schema();
    if (schema.length() != ours.size()) {
      throw new IllegalStateException(table.name() + " has " + schema.length() + " columns, this version writes "
          + ours.size());
    }
    ColumnVector[] columns = new ColumnVector[schema.length()];
    for (int i = 0; i < schema.length(); i++) {
      StructField f = schema.at(i);
      Object v = sparkRow.get(ours.fieldIndex(f.getName()));
      columns[i] = new OneValue(f.getDataType(), v == null ? null : kernelValue(f, v));
    }
    io.delta.kernel.data.Row txnState = txn.getTransactionState(engine);
    ColumnarBatch batch = new DefaultColumnarBatch(1, schema, columns);
    try {
      CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(engine, txnState,
          Utils.singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty())), Map.of());
      var context = Transaction.getWriteContext(engine, txnState, Map.of());
      CloseableIterator<DataFileStatus> written = engine.getParquetHandler()
          .writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
      CloseableIterator<io.delta.kernel.data.Row> actions =
          Transaction.generateAppendActions(engine, txnState, written, context);
      TransactionCommitResult result = txn.commit(engine, CloseableIterable.inMemoryIterable(actions));
      afterCommit(result, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kernel's checkpoint or checksum after some commits, as Spark writes them. The row is committed
   * by then, so a failure here is logged, not thrown: the caller must not log the command twice.
   */
  private void afterCommit(TransactionCommitResult result, TableSchema table) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        LOG.warn("{} of {} version {} failed (the next commit writes one): {}", hook.getType(), table.name(),
            result.getVersion(), e.toString());
      }
    }
  }

  /** A column of one value, in Kernel's physical form (a timestamp as a long, a date as an int). */
  private record OneValue(DataType type, Object value) implements ColumnVector {
    @Override
    public DataType getDataType() {
      return type;
    }

    @Override
    public int getSize() {
      return 1;
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int row) {
      return value == null;
    }

    @Override
    public long getLong(int row) {
      return (Long) value;
    }

    @Override
    public int getInt(int row) {
      return (Integer) value;
    }

    @Override
    public String getString(int row) {
      return (String) value;
    }
  }

  private static Object kernelValue(StructField f, Object v) {
    DataType t = f.getDataType();
    if (t instanceof StringType && v instanceof String) {
      return v;
    } else if (t instanceof LongType && v instanceof Long) {
      return v;
    } else if (t instanceof TimestampType && v instanceof Timestamp ts) {
      // Kernel's timestamps are microseconds since the epoch, UTC
      return TimeUnit.SECONDS.toMicros(ts.toInstant().getEpochSecond()) + ts.toInstant().getNano() / 1000;
    } else if (t instanceof DateType && v instanceof Date d) {
      return (int) d.toLocalDate().toEpochDay(); // Kernel's dates are days since the epoch
    }
    throw new IllegalStateException("column " + f.getName() + " of type " + t + " cannot take " + v.getClass().getSimpleName());
  }
}
