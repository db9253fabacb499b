package dev.chatbotroi.common;

import java.io.PrintStream;

/**
 * What every stage of one command gets: the warehouse, the settings, the run id, the lake (null
 * for stages that do not read it) and the console; grain: one command.
 */
public record StageContext(Tables tables, Settings settings, String runId, String lake, PrintStream out,
    PrintStream err) {}
