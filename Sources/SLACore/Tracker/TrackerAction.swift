// What the tracker asks its adapter to do after an event or a timer.

/// An instruction from the tracker to the code that drives it.
public enum TrackerAction: Sendable, Equatable {
    /// Publish an SLA event.
    case emit(SLAEvent)
    /// Count an outcome (assessment): of an emitted SLA event (it follows the event), or of a
    /// ticket event itself — its closure, callback or volume (these come first).
    case outcome(Outcome)
    /// Arm the subject's single timer for `at`, replacing any earlier arming.
    case schedule(SubjectID, at: Timestamp)
    /// Disarm the subject's timer.
    case cancelTimer(SubjectID)
    /// The subject's state changed: store ``SLATracker/encodedState(of:)`` (changelog).
    case persist(SubjectID)
    /// The subject is done and its state was dropped: delete it from storage (tombstone).
    case forget(SubjectID)
}

extension TrackerAction {
    /// An event to publish or an outcome to count (what the state written must already hold).
    var isNews: Bool {
        switch self {
        case .emit, .outcome: return true
        case .schedule, .cancelTimer, .persist, .forget: return false
        }
    }
}

/// How an input event was taken.
public enum Disposition: Sendable, Equatable {
    /// The event changed the subject's history.
    case applied
    /// Its `event_id` was applied before; nothing changed.
    case duplicate
    /// No stage of the policy applies to its kind; nothing is kept.
    case untracked
    /// The event would have grown the subject past ``TrackerLimits``: it is not kept (the
    /// caller dead-letters it with the reason), and the subject is refused — the actions stop
    /// its running clocks (`sla.stopped`, reason `oversized`).
    case refused(String)
}

/// The result of one step of the tracker.
public struct TrackerStep: Sendable, Equatable {
    /// How the input was taken (``Disposition/applied`` for timers).
    public var disposition: Disposition
    /// What to do, in order: emits sorted by event time, then timer and storage actions.
    public var actions: [TrackerAction]

    /// The events to publish.
    public var emitted: [SLAEvent] {
        actions.compactMap { if case .emit(let e) = $0 { return e }; return nil }
    }

    /// The outcomes to count, in order.
    public var outcomes: [Outcome] {
        actions.compactMap { if case .outcome(let o) = $0 { return o }; return nil }
    }
}
