// Whether a tracked thing is a customer ticket or an outage.

/// The two kinds of tracked subject in the event contract.
public enum SubjectType: String, Sendable, Hashable, CaseIterable {
    /// A 95598 ticket (topic `95598.tickets`, key `ticket_id`).
    case ticket
    /// An outage record (topic `95598.outages`, key `outage_id`).
    case outage
}
