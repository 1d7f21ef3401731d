// Where a stage's deadline comes from: a limit after the start, or a lead before an instant.

/// How a stage's deadline is found.
public enum StageLimit: Sendable, Hashable {
    /// Counted forward from the starting event, possibly chosen by region or customer class.
    case after(LimitTable)
    /// Counted backward from an instant the outage carries (`start_at` − 7 days); a zero lead
    /// makes the instant itself the deadline (restoration at `est_restore_at`).
    case before(OutageInstant, lead: TimeSpan)
}

/// An instant carried by outage events, usable as a deadline anchor.
public enum OutageInstant: String, Sendable, Hashable, CaseIterable {
    case startAt = "start_at"
    case estRestoreAt = "est_restore_at"
}

/// A forward limit, single or chosen by a ticket attribute.
public enum LimitTable: Sendable, Hashable {
    /// One limit for every ticket.
    case single(SLAAmount)
    /// By `region` (rule 3); every region must have a limit.
    case byRegion([Region: SLAAmount])
    /// By `customer_class` (rules 16, 17), with an optional fallback for classes not listed.
    case byCustomerClass([CustomerClass: SLAAmount], otherwise: SLAAmount?)
}
