package dev.chatbotroi.generate;

/** What every event of one conversation repeats; the user id is set once the visitor leaves contact details. */
final class Conv {
  final String id;
  final String anon;
  String user;
  final String channel;

  Conv(String id, String anon, String user, String channel) {
    this.id = id;
    this.anon = anon;
    this.user = user;
    this.channel = channel;
  }

  /** A new event of this conversation, stamped with its ids and channel. */
  Ev event(Ids ids, String name, long ts) {
    Ev e = new Ev(ids.event(), name, ts);
    e.anon = anon;
    e.user = user;
    e.conv = id;
    e.channel = channel;
    return e;
  }
}
