package dev.chatbotroi.generate;

/** A visitor (device) and, once known, the CRM lead behind it. */
final class Visitor {
  final String anon;
  Crm.Lead lead;
  /** Comes back on a later day and leaves contact details then: the earlier chat gets stitched. */
  boolean returnPlanned;
  /** In the holdout experiment's bot arm, not converted by the bot: chats, but leaves no contact details. */
  boolean leavesNoDetails;

  Visitor(String anon) {
    this.anon = anon;
  }
}
