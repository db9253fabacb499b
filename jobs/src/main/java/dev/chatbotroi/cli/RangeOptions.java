package dev.chatbotroi.cli;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.UserException;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** Options of the commands that can work on a range of dates: --from and --to, both or neither. */
final class RangeOptions {
  @Option(names = "--from", paramLabel = "DATE", description = "first date (YYYY-MM-DD, inclusive)")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "last date (YYYY-MM-DD, inclusive)")
  LocalDate to;

  void check() {
    if ((from == null) != (to == null)) {
      throw new UserException("--from and --to go together");
    }
    if (from != null && from.isAfter(to)) {
      throw new UserException("--from " + from + " is after --to " + to);
    }
  }

  /** The range as periods, or null when none was given (all dates). */
  Periods.Range periods() {
    return from == null ? null : new Periods.Range(from, to);
  }
}
