package dev.chatbotroi.generate;

/** Hands out sequential, zero-padded ids per kind, wide enough for the lake's size so they sort. */
final class Ids {
  private final int eventWidth;
  private final int convWidth;
  private final int anonWidth;
  private final int leadWidth;
  private long event;
  private long conv;
  private long anon;
  private long lead;
  private long deal;
  private long ticket;
  private long order;
  private long meeting;

  Ids(int days, int conversationsPerDay) {
    long conversations = (long) days * conversationsPerDay;
    // Upper bounds of what the simulation can create, so the widths never have to grow mid-lake.
    long perDayExtra = (long) days * 1000;
    eventWidth = width(times(conversations, 80) + perDayExtra, 10);
    convWidth = width(conversations, 6);
    anonWidth = width(times(conversations, 16) + perDayExtra, 6);
    leadWidth = width(times(conversations, 2) + perDayExtra, 6);
  }

  private static long times(long a, long b) {
    return a > Long.MAX_VALUE / 4 / b ? Long.MAX_VALUE / 4 : a * b;
  }

  private static int width(long bound, int min) {
    return Math.max(min, Long.toString(bound).length());
  }

  String event() {
    return "e-" + Stamps.pad(++event, eventWidth);
  }

  String conversation() {
    return "c-" + Stamps.pad(++conv, convWidth);
  }

  String anonymous() {
    return "anon-" + Stamps.pad(++anon, anonWidth);
  }

  String lead() {
    return "L-" + Stamps.pad(++lead, leadWidth);
  }

  String deal() {
    return "D-" + Stamps.pad(++deal, leadWidth);
  }

  String ticket() {
    return "T-" + Stamps.pad(++ticket, convWidth);
  }

  String order() {
    return "O-" + Stamps.pad(++order, convWidth);
  }

  String meeting() {
    return "M-" + Stamps.pad(++meeting, convWidth);
  }
}
