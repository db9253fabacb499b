package dev.chatbotroi.cli;

import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.erase.EraseJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The erase command: one person's rows out of every table of one warehouse, by lead id or e-mail address. */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = "Delete one person's rows from every warehouse table and recompute the periods they touched.")
final class EraseCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, paramLabel = "DIR") Path warehouse;
  @Option(names = "--lead-id", paramLabel = "ID", description = "the person's CRM lead id (repeatable)")
  List<String> leadIds = new ArrayList<>();
  @Option(names = "--email", paramLabel = "ADDRESS", description = "the person's e-mail address (repeatable; hashed, never stored)")
  List<String> emails = new ArrayList<>();
  @Mixin CommonMixin common = new CommonMixin();

  @Override
  public Integer call() {
    if (leadIds.isEmpty() && emails.isEmpty()) {
      throw new UserException("erase needs --lead-id ID or --email ADDRESS");
    }
    Folders.requireDir(warehouse, "--warehouse");
    Settings settings = common.options.settings();
    Set<String> hashes = new TreeSet<>();
    if (!emails.isEmpty()) {
      String key = settings.requireHashKey();
      for (String e : emails) {
        String h = Pii.hash(key, e);
        if (h == null) {
          throw new UserException("--email: an empty address");
        }
        hashes.add(h);
      }
    }
    Set<String> ids = new TreeSet<>();
    for (String id : leadIds) {
      // a lead id that is an address was stored as its hash (docs/ingest.md): look for that
      ids.add(id.contains("@") ? Pii.scrub(settings.requireHashKey(), id.trim()) : id.trim());
    }
    CommandSession.inSession("erase", warehouse.toString(), common.options, settings, null, null, (tables, runId) -> {
      EraseJob.Result r = EraseJob.run(tables, settings, ids, hashes, runId, System.out, System.err);
      System.out.println(r.summary());
      return JobRun.Counts.NONE;
    });
    return 0;
  }
}
