package dev.chatbotroi.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/data-dictionary.md is exactly what the schema classes and dictionary.conf generate. */
class DataDictionaryTest {
  private static final Path DOC = Path.of("..").resolve(DataDictionary.DOC);

  @Test
  void docMatchesTheSchemas() throws IOException {
    String generated = DataDictionary.markdown();
    if (Boolean.getBoolean("dictionary.write")) {
      Files.writeString(DOC, generated);
    }
    assertEquals(generated, Files.readString(DOC), DataDictionary.DOC + " is stale: regenerate it with "
        + "mvn -pl jobs test -Dtest=DataDictionaryTest -Ddictionary.write=true");
  }

  @Test
  void everyColumnOfEveryTableIsListed() {
    String doc = DataDictionary.markdown();
    for (TableSchema t : OutputTables.EXPORTED) {
      assertTrue(doc.contains("\n## " + t.name() + "\n"), t.name());
      for (String c : t.columns()) {
        assertTrue(doc.contains("| `" + c + "` |"), t.name() + "." + c);
      }
    }
  }
}
