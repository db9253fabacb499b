package dev.chatbotroi.common;

/** Another run committed to the same table and periods first (a Delta concurrent-modification conflict). */
public final class WriteConflict extends UserException {
  private final String table;

  public WriteConflict(String table, Throwable cause) {
    super("another run is writing " + table + " for the same periods; retry", cause);
    this.table = table;
  }

  public String table() {
    return table;
  }

  /** The Delta conflict in {@code t}'s causes, if any (Delta's conflicts extend ConcurrentModificationException). */
  static boolean isConflict(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.util.ConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }
}
