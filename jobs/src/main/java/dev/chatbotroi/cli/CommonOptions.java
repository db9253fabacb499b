package dev.chatbotroi.cli;

import dev.chatbotroi.common.Settings;
import dev.chatbotroi.ingest.preset.InputPresets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every Spark command shares: settings files and overrides, the master, verbosity. */
final class CommonOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON settings file layered over the defaults")
  Path conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting (repeatable)")
  List<String> set = new ArrayList<>();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*])")
  String master;

  @Option(names = "--verbose", description = "print stack traces of errors")
  boolean verbose;

  /** The one place a command's settings are loaded. */
  Settings settings() {
    Settings settings = Settings.load(conf, set);
    // the input presets are parsed in full here, so a bad one is reported before Spark starts
    InputPresets.of(settings.input());
    return settings;
  }
}
