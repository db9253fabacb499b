package dev.chatbotroi.common;

/** A setting that is missing or invalid; the message names the key and the problem in one line. */
public final class SettingsException extends UserException {
  public SettingsException(String key, String problem) {
    super("setting '" + key + "': " + problem);
  }
}
