package dev.chatbotroi.common;

import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Column lists by name, for select and groupBy. */
public final class Columns {
  private Columns() {}

  public static Column[] of(String... names) {
    return Arrays.stream(names).map(functions::col).toArray(Column[]::new);
  }

  /** Names as the Scala sequence that join(…, usingColumns, joinType) takes. */
  public static scala.collection.immutable.Seq<String> names(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toSeq();
  }

  /** {@code names} followed by {@code more}. */
  public static Column[] of(String[] names, String... more) {
    return of(Stream.concat(Arrays.stream(names), Arrays.stream(more)).toArray(String[]::new));
  }
}
