package dev.chatbotroi.generate;

import java.util.List;
import java.util.Map;

/** The simulated traffic mix: weighted choices and rates, per channel, flow or outcome. */
final class Mix {
  private Mix() {}

  static final Choice CHANNELS = Choice.of("web", 68, "messenger", 13, "whatsapp", 11, "instagram", 8);
  static final Map<String, Double> ENGAGE =
      Map.of("web", 0.79, "messenger", 0.84, "whatsapp", 0.88, "instagram", 0.77);
  static final Choice FLOWS =
      Choice.of("support", 42, "order_tracking", 26, "lead_qualification", 20, "booking", 12);
  static final Map<String, Choice> INTENTS = Map.of(
      "support", Choice.of("return_policy", 16, "business_hours", 12, "store_location", 8, "pricing_basics", 10,
          "billing", 14, "complaint", 10, "returns", 14, "delivery_window", 8, "order_status", 8),
      "order_tracking", Choice.of("order_status", 55, "delivery_window", 25, "returns", 12, "complaint", 8),
      "lead_qualification", Choice.of("pricing", 45, "demo_request", 30, "pricing_basics", 15, "billing", 10),
      "booking", Choice.of("demo_request", 55, "business_hours", 20, "store_location", 15, "pricing", 10));
  static final Map<String, Choice> PAGES = Map.of(
      "support", Choice.of("contact", 30, "product", 30, "home", 25, "pricing", 15),
      "order_tracking", Choice.of("checkout", 45, "product", 30, "home", 25),
      "lead_qualification", Choice.of("pricing", 55, "demo", 30, "home", 15),
      "booking", Choice.of("demo", 50, "contact", 35, "home", 15));
  static final Choice BROWSE_PAGES =
      Choice.of("product", 35, "home", 25, "pricing", 15, "checkout", 10, "contact", 8, "demo", 7);
  static final Map<String, String> GOALS = Map.of("support", "answer_given",
      "order_tracking", "order_status_shown", "lead_qualification", "lead_qualified", "booking", "meeting_booked");
  static final Map<String, Double> CAPTURE =
      Map.of("support", 0.03, "order_tracking", 0.02, "lead_qualification", 0.45, "booking", 0.5);
  static final Map<String, Double> PURCHASE =
      Map.of("support", 0.12, "order_tracking", 0.22, "lead_qualification", 0.05, "booking", 0.04);
  static final List<String> ALL_INTENTS = List.of("order_status", "delivery_window", "return_policy",
      "business_hours", "store_location", "pricing_basics", "pricing", "billing", "complaint", "demo_request",
      "returns");
  static final List<Utm> UTMS = List.of(
      new Utm("google", "cpc", "spring_sale", "paid_search"),
      new Utm("google", "cpc", "brand_search", "paid_search"),
      new Utm("facebook", "paid_social", "retargeting_q1", "social"),
      new Utm("instagram", "social", "ugc_stories", "social"),
      new Utm("newsletter", "email", "newsletter-14", null),
      new Utm("partner", "referral", "partner_launch", null));
  static final Choice NURTURE_TOUCH = Choice.of("email", 55, "paid_search", 20, "social", 15, "form", 10);
  static final Map<String, Utm> TOUCH_UTM = Map.of(
      "email", new Utm("newsletter", "email", "newsletter-14", "email"),
      "paid_search", new Utm("google", "cpc", "brand_search", "paid_search"),
      "social", new Utm("linkedin", "paid_social", "webinar_promo", "social"),
      "form", new Utm("website", "form", "contact_us", "form"));
  static final Choice OTHER_SOURCES = Choice.of("webinar", 50, "referral", 30, "trade_show", 20);
  static final Choice FALLBACK_REASONS = Choice.of("no_match", 60, "low_confidence", 30, "out_of_scope", 10);
  static final Choice HANDOFF_REASONS =
      Choice.of("user_request", 45, "low_confidence", 25, "complaint", 15, "sales_lead", 15);
  static final Choice TICKET_CHANNELS = Choice.of("email", 50, "phone", 25, "web", 25);
  /** Relative traffic per hour of the day (UTC), busiest in office hours. */
  static final List<Integer> HOURS =
      List.of(1, 1, 1, 1, 1, 1, 2, 3, 6, 8, 8, 8, 8, 8, 8, 8, 8, 7, 5, 5, 5, 4, 3, 3);
  /** Score shares 1..5 after a good outcome, a handoff, and anything else. */
  static final List<Double> CSAT_GOOD = List.of(0.02, 0.02, 0.04, 0.32, 0.60);
  static final List<Double> CSAT_HANDOFF = List.of(0.05, 0.07, 0.12, 0.34, 0.42);
  static final List<Double> CSAT_MEH = List.of(0.08, 0.10, 0.16, 0.36, 0.30);
}
