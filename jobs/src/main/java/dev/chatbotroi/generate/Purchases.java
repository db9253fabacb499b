package dev.chatbotroi.generate;

import static dev.chatbotroi.generate.World.DAY;
import static dev.chatbotroi.generate.World.HOUR;
import static dev.chatbotroi.generate.World.MIN;

import java.io.IOException;
import java.util.SplittableRandom;

/** A purchase after a chat, sometimes outside the conversion window and now and then re-sent; grain: one order. */
final class Purchases {
  private final World w;
  private final SplittableRandom rnd;

  Purchases(World w) {
    this.w = w;
    this.rnd = w.rnd;
  }

  /** The order placed some time after the chat that ended at {@code end}. */
  void after(long end, Conv c) throws IOException {
    long at = end + delay();
    String order = w.ids.order();
    String revenue = revenue();
    boolean currency = rnd.nextDouble() < 0.95;
    w.sink.emit(event(at, c, order, revenue, currency));
    if (rnd.nextDouble() < 0.04) {
      // The shop re-sends the order under a new event id: same order_id, counted once.
      w.sink.emit(event(at + (1 + rnd.nextInt(60)) * MIN, c, order, revenue, currency));
    }
  }

  private long delay() {
    double r = rnd.nextDouble();
    if (r < 0.7) {
      return 30 * MIN + (long) (rnd.nextDouble() * (3 * DAY - 30 * MIN));
    } else if (r < 0.88) {
      return 3 * DAY + (long) (rnd.nextDouble() * 4 * DAY);
    }
    // Outside the 7-day conversion window.
    return 7 * DAY + 2 * HOUR + (long) (rnd.nextDouble() * 5 * DAY);
  }

  private Ev event(long at, Conv c, String order, String revenue, boolean currency) {
    Ev e = c.event(w.ids, "purchase_after_chat", at);
    JsonObj p = new JsonObj().str("order_id", order).raw("revenue", revenue);
    e.props = (currency ? p.str("currency", "USD") : p).close();
    return e;
  }

  /** Order value as the shop sends it: now and then zero, sometimes whole dollars, mostly with cents. */
  private String revenue() {
    double r = rnd.nextDouble();
    if (r < 0.04) {
      return "0";
    }
    long cents = 1_500 + (long) (rnd.nextDouble() * 38_500);
    if (r < 0.2) {
      return Long.toString(cents / 100);
    }
    return (cents / 100) + "." + Stamps.pad(cents % 100, 2);
  }
}
