// The `action` field of ticket and outage events.

/// The `action` of a ticket or outage event, as in the v1 event contract.
///
/// Declaration order is the natural lifecycle order; it breaks ties between events of one
/// subject that carry the same `occurred_at` (a `created` sorts before a `dispatched` of the same second).
public enum LifecycleAction: String, Sendable, Hashable, CaseIterable, Comparable {
    case created, dispatched, accepted, returned, arrived
    case onsiteReported = "onsite_reported"
    case resolved
    case sentBack = "sent_back"
    case callback
    /// v1.3: the ticket was answered (答复) where no callback is made (rule 12).
    case answered
    case closed, reopened
    case applicationAccepted = "application_accepted"
    case planReplied = "plan_replied"
    case inspectionPassed = "inspection_passed"
    case poweredOn = "powered_on"
    case registered, announced, started, updated, restored
    case cancelled

    /// Which subjects may carry this action.
    public func applies(to subject: SubjectType) -> Bool {
        switch self {
        case .cancelled: return true
        case .registered, .announced, .started, .updated, .restored: return subject == .outage
        default: return subject == .ticket
        }
    }

    /// The actions one subject may carry, in lifecycle order.
    public static func actions(of subject: SubjectType) -> [LifecycleAction] {
        subject == .ticket ? ticketActions : outageActions
    }
    // Computed once: the decoder asks for them on every event.
    private static let ticketActions = allCases.filter { $0.applies(to: .ticket) }
    private static let outageActions = allCases.filter { $0.applies(to: .outage) }
    private static let ranks = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// Position in lifecycle order (compared whenever an event takes its place in a history).
    public var rank: Int { Self.ranks[self]! }

    public static func < (a: LifecycleAction, b: LifecycleAction) -> Bool { a.rank < b.rank }
}
