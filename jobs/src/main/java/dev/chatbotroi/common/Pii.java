package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * E-mail hashing (docs/ingest.md#personal-data): HMAC-SHA256 of the trimmed, lower-cased address, as hex, and the
 * scrubbing that replaces every address inside a text by its hash. Spark has no built-in HMAC,
 * hence the UDFs here; callers guard them so only texts with an `@` pay for one.
 */
public final class Pii {
  private Pii() {}

  /**
   * What counts as an address, found left to right without overlap. Loose on purpose: anything
   * that looks like one is hashed, so none slips through raw.
   */
  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

  public static String hash(String key, String email) {
    if (email == null) {
      return null;
    }
    String norm = email.trim().toLowerCase(Locale.ROOT);
    if (norm.isEmpty()) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(norm.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Replaces every e-mail address inside free text (a raw line, a JSON blob) by its hash. */
  public static String scrub(String key, String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher m = EMAIL.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, hash(key, m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Column of the hash of an e-mail column (null stays null). */
  public static Column hashColumn(String key, Column email) {
    UDF1<String, String> f = s -> hash(key, s);
    UserDefinedFunction u = udf(f, DataTypes.StringType).withName("email_hash");
    return u.apply(email);
  }

  /**
   * Column of free text with every address replaced by its hash. The UDF runs only on texts that
   * hold an `@`: the rest pass through a built-in test, so scrubbing every text column is cheap.
   */
  public static Column scrubColumn(String key, Column text) {
    UDF1<String, String> f = s -> scrub(key, s);
    UserDefinedFunction u = udf(f, DataTypes.StringType).withName("scrub_emails");
    return when(text.contains("@"), u.apply(text)).otherwise(text);
  }
}
