package dev.chatbotroi.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What every part of the simulation shares: the one random stream, the outputs, the recent visitors
 * and the leads marketing still nurtures, with the draws they all make.
 */
final class World {
  static final long SEC = 1_000L;
  static final long MIN = 60 * SEC;
  static final long HOUR = 60 * MIN;
  static final long DAY = EventSink.DAY_MS;
  /** Bad lines per conversation event; conversation events are about 60% of all lines, so ~0.3%. */
  private static final double BAD_RATE = 0.005;
  /** Recent visitors who may come back; older ones are forgotten to keep memory flat. */
  private static final int POOL_SIZE = 4000;

  final SplittableRandom rnd;
  final EventSink sink;
  final Crm crm;
  final Ids ids;
  private final BadEvents bad;
  private final List<Visitor> pool = new ArrayList<>();
  /** Open leads that still get marketing touches. */
  final List<Crm.Lead> nurtured = new ArrayList<>();

  World(SplittableRandom rnd, EventSink sink, Crm crm, Ids ids) {
    this.rnd = rnd;
    this.sink = sink;
    this.crm = crm;
    this.ids = ids;
    this.bad = new BadEvents(ids);
  }

  /** A visitor never seen before, remembered so that they may come back. */
  Visitor newVisitor() {
    return remember(new Visitor(ids.anonymous()));
  }

  private Visitor remember(Visitor v) {
    if (pool.size() < POOL_SIZE) {
      pool.add(v);
    } else {
      pool.set(rnd.nextInt(POOL_SIZE), v);
    }
    return v;
  }

  boolean hasRecentVisitors() {
    return !pool.isEmpty();
  }

  /** One of the recent visitors; callers check {@link #hasRecentVisitors()} first. */
  Visitor recentVisitor() {
    return pool.get(rnd.nextInt(pool.size()));
  }

  /** A time of day in milliseconds, drawn by the hourly traffic shape. */
  long timeOfDay() {
    int total = 0;
    for (int w : Mix.HOURS) {
      total += w;
    }
    int r = rnd.nextInt(total);
    int hour = 0;
    while (r >= Mix.HOURS.get(hour)) {
      r -= Mix.HOURS.get(hour);
      hour++;
    }
    return hour * HOUR + rnd.nextLong(HOUR);
  }

  /** A whole number of things averaging {@code expected}: the fraction becomes one more, that often. */
  long count(double expected) {
    long whole = (long) expected;
    return whole + (rnd.nextDouble() < expected - whole ? 1 : 0);
  }

  /** {@code value}, or now and then the same value as a sloppy integration spells it. */
  String sloppy(String value, double share) {
    return rnd.nextDouble() < share ? Names.oddly(value, rnd) : value;
  }

  /** A conversation event, now and then followed by a broken line from the same integration. */
  void emitChat(Ev e) throws IOException {
    sink.emit(e);
    if (rnd.nextDouble() < BAD_RATE) {
      sink.emitBad(e.ts, bad.next(e));
    }
  }

  void marketingTouch(String anon, String user, long at, String touchChannel, Utm utm) throws IOException {
    Ev e = new Ev(ids.event(), "marketing_touch", at);
    e.anon = anon;
    e.user = user;
    e.channel = touchChannel.equals("email") ? "email" : "web";
    Utm.tag(e, utm);
    String sent = rnd.nextDouble() < 0.1 ? Names.oddly(touchChannel, rnd) : touchChannel;
    e.props = new JsonObj().str("touch_channel", sent).close();
    sink.emit(e);
  }
}
