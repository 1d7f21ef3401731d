// What the tracker asks its adapter to do after an event or a timer.

/// An instruction from the tracker to the code that drives it.
public enum TrackerAction: Sendable, Equatable {
    /// Publish an SLA event.
    case emit(SLAEvent)
    /// Arm the subject's single timer for `at`, replacing any earlier arming.
    case schedule(SubjectID, at: Timestamp)
    /// Disarm the subject's timer.
    case cancelTimer(SubjectID)
    /// The subject's state changed: store ``SLATracker/encodedState(of:)`` (changelog).
    case persist(SubjectID)
    /// The subject is done and its state was dropped: delete it from storage (tombstone).
    case forget(SubjectID)
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
    /// The subject's state as this step left it, when the step also forgets it (a ticket closed
    /// longer ago than it is kept): what the event's outcomes read their unit, agent and holder
    /// from, since ``SLATracker/state(of:)`` no longer has it.
    public var forgotten: SubjectState? = nil

    /// A step from its parts.
    public init(disposition: Disposition, actions: [TrackerAction], forgotten: SubjectState? = nil) {
        self.disposition = disposition; self.actions = actions; self.forgotten = forgotten
    }

    /// The events to publish.
    public var emitted: [SLAEvent] {
        actions.compactMap { if case .emit(let e) = $0 { return e }; return nil }
    }
}
