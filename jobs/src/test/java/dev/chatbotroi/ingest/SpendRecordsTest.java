package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.chatbotroi.common.Pii;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Each spend quarantine reason of docs/ingest.md on a concrete bad row, the check order, and valid typing. */
class SpendRecordsTest {

  @TempDir static Path dir;

  static final String HEADER = "date,channel,campaign,amount,currency";

  /** CSV data row, expected reason, expected detail (currency setting USD). */
  static final String[][] CASES = {
      {",email,newsletter,10,USD", "missing_field", "date"},
      {"  ,email,newsletter,10,USD", "missing_field", "date"},
      {"2026-03-01,,newsletter,10,USD", "missing_field", "channel"},
      {"2026-03-01,   ,newsletter,10,USD", "missing_field", "channel"},
      {"2026-02-30,email,,10,USD", "bad_timestamp", "date"},
      {"03/10/2026,email,,10,USD", "bad_timestamp", "date"},
      {"2026-3-1,email,,10,USD", "bad_timestamp", "date"},
      {"2026-03-01T00:00:00,email,,10,USD", "bad_timestamp", "date"},
      {"2026-03-01,email,,12k,USD", "bad_property", "amount"},
      {"2026-03-01,email,,-5,USD", "bad_property", "amount"},
      {"2026-03-01,email,,,USD", "bad_property", "amount"},
      {"2026-03-01,email,,10,EUR", "bad_property", "currency"},
      // the check order: missing before bad_timestamp before bad_property, amount before currency
      {",,,-1,EUR", "missing_field", "date"},
      {"2026-02-30,,x,-1,EUR", "missing_field", "channel"},
      {"2026-02-30,email,x,-1,EUR", "bad_timestamp", "date"},
      {"2026-03-01,email,x,-1,EUR", "bad_property", "amount"},
      // valid rows
      {"2026-03-01, Paid_Search ,,120.50,", null, null},
      {"2026-03-31,EMAIL,Spring Sale,0, usd ", null, null},
      {"2026-03-02,social,promo for Ana.Silva@Example.com,5,USD", null, null},
  };

  static final Map<Long, Row> results = new HashMap<>();

  @BeforeAll
  static void validateAll() {
    List<String> lines = new ArrayList<>(List.of(HEADER));
    for (String[] c : CASES) {
      lines.add(c[0]);
    }
    for (Row r : validate(Files2.write(dir.resolve("spend.csv"), lines), 1 << 20)) {
      results.put(r.getLong(1), r);
    }
  }

  static List<Row> validate(Path file, long maxLineBytes) {
    InputFile in = new InputFile(file.toUri().toString(), SpendRecords.SOURCE, InputFile.CSV, 0, 0);
    return SpendRecords.validate(InputRows.tableRows(TestSpark.session(), List.of(in), SpendRecords.COLUMNS,
        maxLineBytes), TestSpark.settings(), TestSpark.HASH_KEY).orderBy("line_number").collectAsList();
  }

  @TestFactory
  Stream<DynamicTest> eachRowGetsItsReasonAndDetail() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < CASES.length; i++) {
      String[] c = CASES[i];
      long line = i + 2; // line 1 is the header
      tests.add(dynamicTest((c[1] == null ? "valid" : c[1] + "/" + c[2]) + ": " + c[0], () -> {
        Row r = results.get(line);
        assertEquals(c[1], r.getAs(EventRecords.REASON), "reason");
        assertEquals(c[2], r.getAs(EventRecords.DETAIL), "detail");
      }));
    }
    return tests.stream();
  }

  @Test
  void validRowsAreTyped() {
    int first = CASES.length - 3 + 2;
    Row search = results.get((long) first);
    assertEquals(Date.valueOf("2026-03-01"), search.getAs("date"));
    assertEquals("paid_search", search.getAs("channel"), "normalised as touch_channel is");
    assertEquals("(none)", search.getAs("campaign"));
    assertEquals(0, new BigDecimal("120.50").compareTo(search.getAs("amount")));
    assertEquals("USD", search.getAs("currency"), "empty: the currency setting");
    Row email = results.get((long) first + 1);
    assertEquals("email", email.getAs("channel"));
    assertEquals("Spring Sale", email.getAs("campaign"), "campaign as sent, trimmed");
    assertEquals(0, BigDecimal.ZERO.compareTo(email.getAs("amount")), "0 is an amount");
    assertEquals("USD", email.getAs("currency"));
    Row social = results.get((long) first + 2);
    assertEquals("promo for " + Pii.hash(TestSpark.HASH_KEY, "ana.silva@example.com"), social.getAs("campaign"),
        "an address in a text cell is hashed");
  }

  @Test
  void aByteOrderMarkCrlfLinesAndHeaderSpellingsReadFine() throws IOException {
    // a spreadsheet export: BOM, CRLF, header names in any case with spaces, no campaign or currency column
    Path file = dir.resolve("bom/spend.csv");
    Files.createDirectories(file.getParent());
    String text = "\uFEFF Date , CHANNEL ,Amount\r\n2026-03-05,Email,19.99\r\n\r\n2026-03-06,form," + "9".repeat(300)
        + "\r\n";
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    List<Row> rows = validate(file, 200);
    assertEquals(2, rows.size(), "the blank line is skipped");
    Row r = rows.get(0);
    assertNull(r.getAs(EventRecords.REASON));
    assertEquals(Date.valueOf("2026-03-05"), r.getAs("date"));
    assertEquals("email", r.getAs("channel"));
    assertEquals("(none)", r.getAs("campaign"));
    assertEquals(0, new BigDecimal("19.99").compareTo(r.getAs("amount")), "no \\r left on the last cell");
    assertEquals("USD", r.getAs("currency"));
    Row tooLong = rows.get(1);
    assertEquals("malformed_json", tooLong.getAs(EventRecords.REASON), "a line over the limit, as for CRM rows");
    assertEquals("too_long", tooLong.getAs(EventRecords.DETAIL));
    assertTrue(((String) tooLong.getAs("raw")).startsWith("2026-03-06,form,"));
  }
}
