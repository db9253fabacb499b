package dev.chatbotroi.cli;

import dev.chatbotroi.common.UserException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line's root: parses the arguments, runs one command, turns its errors into one line and an exit code. */
@Command(name = "chatbot-roi", mixinStandardHelpOptions = true, version = "chatbot-roi 0.1.0",
    description = "Turns chatbot event lakes into ROI numbers (Spark + Delta batch job).",
    subcommands = {DemoCommand.class, GenerateCommand.class, StageCommands.Run.class, StageCommands.Ingest.class,
        StageCommands.Conversations.class, StageCommands.Metrics.class, StageCommands.Attribute.class,
        StageCommands.Experiments.class,
        ExportCommand.class, EraseCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs one command and returns its exit code; never exits the JVM (tests call this). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, out, err, System.getenv());
  }

  /** As {@link #execute(String[], PrintStream, PrintStream)}, reading secrets from {@code env} instead of the process's. */
  public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    boolean verbose = List.of(args).contains("--verbose");
    CommandLine cli = new CommandLine(new Main(env));
    cli.registerConverter(LocalDate.class, s -> {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("'" + s + "' is not a date of the form YYYY-MM-DD");
      }
    });
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("chatbot-roi: " + ex.getMessage().replace('\n', ' ') + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      err.println("chatbot-roi: " + oneLine(ex));
      if (verbose) {
        printTrace(ex, err);
      } else if (!(ex instanceof UserException)) {
        err.println("(run with --verbose for the stack trace)");
      }
      return ex instanceof UserException ? 2 : 1;
    });
    return cli.execute(args);
  }

  static String oneLine(Throwable t) {
    if (t instanceof UserException) {
      return t.getMessage().replace('\n', ' ');
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = t.getMessage() == null ? "" : t.getMessage();
    String first = m.lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + ": " + first
        + (root != t ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
  }

  private static void printTrace(Throwable t, PrintStream err) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      err.println((c == t ? "" : "Caused by: ") + c);
      for (StackTraceElement e : c.getStackTrace()) {
        err.println("\tat " + e);
      }
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The environment secrets are read from (JDBC credentials); the process's own outside tests. */
  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Map<String, String> env() {
    return env;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
