package dev.chatbotroi.generate;

/** Campaign parameters on a landing URL; paid ones had a marketing touch just before. */
record Utm(String source, String medium, String campaign, String touchChannel) {
  /** Copies the parameters onto {@code e}; a null {@code utm} (no campaign) leaves it untouched. */
  static void tag(Ev e, Utm utm) {
    if (utm != null) {
      e.utmSource = utm.source();
      e.utmMedium = utm.medium();
      e.utmCampaign = utm.campaign();
    }
  }
}
