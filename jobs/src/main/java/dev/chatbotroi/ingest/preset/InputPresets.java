package dev.chatbotroi.ingest.preset;

import dev.chatbotroi.common.PresetSource;
import dev.chatbotroi.common.Settings;

/** The presets the `input.*.format` settings name (docs/inputs.md), parsed in full; grain: one per command run. */
public record InputPresets(Preset events, Preset crm, Preset helpdesk) {

  /**
   * Parses the presets the settings name, null for `contract`. A bad one raises the same
   * SettingsException, naming the setting, that settings loading raises for its own keys; the
   * command line calls this right after loading the settings, before any Spark session starts.
   */
  public static InputPresets of(Settings.Input input) {
    return new InputPresets(parse("input.events.format", input.eventsFormat()),
        parse("input.crm.format", input.crmFormat()), parse("input.helpdesk.format", input.helpdeskFormat()));
  }

  private static Preset parse(String key, String format) {
    PresetSource source = PresetSource.read(key, format);
    return source == null ? null : PresetParser.forSetting(source);
  }

  /** The preset for a lake source (events, leads, deals, tickets), null for the contract format. */
  public Preset presetFor(String source) {
    return switch (source) {
      case "events" -> events;
      case "leads", "deals" -> crm != null && crm.section(source) != null ? crm : null;
      case "tickets" -> helpdesk;
      default -> null;
    };
  }
}
