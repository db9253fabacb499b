package dev.chatbotroi.common;

/**
 * One stage of `run` (ingest, conversations, metrics, …): reads the tables the stages before it
 * wrote, calls its transforms, writes its own tables. The pipeline runs a list of them; grain: one
 * stage over one range.
 */
public interface Stage {

  /** How the pipeline runs a stage over a date range. */
  enum Scope {
    /** Once, before the others; may stretch the range (ingest: late data). */
    FIRST,
    /** Chunk by chunk over the range (or once over everything without one). */
    CHUNKED,
    /** Once per run, over everything: its tables are rebuilt whole. */
    ONCE
  }

  /** What a stage did: a one-line summary, the range the stages after it cover, and ingest counts. */
  record Outcome(String summary, Periods.Range next, JobRun.Counts counts) {
    public static Outcome of(String summary, Periods.Range next) {
      return new Outcome(summary, next, null);
    }
  }

  /** Its name: the console prefix and the Spark job group of its work. */
  String name();

  Scope scope();

  /** Runs the stage over {@code range} (null: every date of every input). */
  Outcome run(StageContext context, Periods.Range range);
}
