package dev.chatbotroi.cli;

import picocli.CommandLine.Mixin;

/** Wraps {@link CommonOptions} so picocli can mix it into each command. */
final class CommonMixin {
  @Mixin CommonOptions options = new CommonOptions();
}
