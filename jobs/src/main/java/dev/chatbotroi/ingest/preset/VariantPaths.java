package dev.chatbotroi.ingest.preset;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.try_variant_get;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/** A preset path (docs/inputs.md) as a VARIANT expression over the item being mapped; grain: one path. */
final class VariantPaths {
  private VariantPaths() {}

  private static final Column ITEM = col("_item");
  private static final Column PARENT = col("_parent");

  private static final Pattern SELECT = Pattern.compile("^(.*?)\\[([^=\\]]+)=([^\\]]*)\\]$");

  /**
   * A path as a VARIANT column. Segments are separated by `.`; `name[3]` indexes an array;
   * `name[key=value]` picks the first element of an array whose `key` is `value` (GA4
   * event_params, Zendesk custom_fields). `^path` reads the enclosing record of an exploded
   * item; `@name` a conversation context column.
   */
  static Column pathExpr(String p) {
    String s = p.trim();
    if (s.startsWith("@")) {
      return col("_at_" + s.substring(1)).cast("variant");
    }
    Column base = ITEM;
    if (s.startsWith("^")) {
      base = PARENT;
      s = s.substring(1);
    }
    if (s.equals("$") || s.isEmpty()) {
      return base;
    }
    StringBuilder vp = new StringBuilder("$");
    for (String seg : s.split("\\.")) {
      Matcher m = SELECT.matcher(seg);
      if (m.matches()) {
        appendName(vp, m.group(1));
        Column arr = try_variant_get(base, vp.toString(), "array<variant>");
        String k = m.group(2).trim();
        String want = m.group(3).trim();
        base = try_element_at(filter(arr, x -> coalesce(
            try_variant_get(x, variantPath(k), "string").equalTo(lit(want)), lit(false))), lit(1));
        vp = new StringBuilder("$");
        continue;
      }
      Matcher idx = Pattern.compile("^(.*?)\\[([0-9]+)\\]$").matcher(seg);
      if (idx.matches()) {
        appendName(vp, idx.group(1));
        vp.append('[').append(idx.group(2)).append(']');
      } else {
        appendName(vp, seg);
      }
    }
    return vp.length() == 1 ? base : try_variant_get(base, vp.toString(), "variant");
  }

  private static void appendName(StringBuilder vp, String name) {
    if (!name.isEmpty()) {
      vp.append("['").append(name.replace("'", "\\'")).append("']");
    }
  }

  /** A dotted path of plain names as a variant path (`$['a']['b']`). */
  static String variantPath(String dotted) {
    StringBuilder vp = new StringBuilder("$");
    for (String seg : dotted.split("\\.")) {
      appendName(vp, seg);
    }
    return vp.toString();
  }
}
