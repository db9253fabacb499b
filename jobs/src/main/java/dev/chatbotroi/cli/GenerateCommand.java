package dev.chatbotroi.cli;

import dev.chatbotroi.common.UserException;
import dev.chatbotroi.generate.LakeGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The generate command: writes one synthetic lake, no Spark. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a realistic synthetic lake (events, CRM, help desk), deterministic for a seed.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "lake folder to write")
  Path out;

  @Option(names = "--days", defaultValue = "42", description = "days of history (default ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--conversations-per-day", defaultValue = "200", description = "default ${DEFAULT-VALUE}")
  int perDay;

  @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--start", defaultValue = "2026-03-02", paramLabel = "DATE", description = "first day (default ${DEFAULT-VALUE})")
  LocalDate start;

  @Override
  public Integer call() {
    LakeGenerator.Summary s = generate(out, new LakeGenerator.Options(start, days, perDay, seed));
    System.out.println("generate: " + s.eventLines() + " event lines (" + s.badLines() + " bad on purpose), "
        + s.conversations() + " conversations, " + s.leads() + " leads, " + s.deals() + " deals, "
        + s.tickets() + " tickets -> " + out);
    return 0;
  }

  /** Writes a lake, turning the generator's complaints into user errors (the demo shares this). */
  static LakeGenerator.Summary generate(Path out, LakeGenerator.Options options) {
    try {
      return LakeGenerator.generate(out, options);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    } catch (IOException e) {
      throw new UserException("cannot write lake " + out + ": " + e.getMessage(), e);
    }
  }
}
