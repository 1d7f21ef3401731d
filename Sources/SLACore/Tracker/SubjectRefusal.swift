// A subject the tracker gave up on: it grew past what may be kept.

/// Why and when a subject was refused (``TrackerLimits``). A refused subject keeps no history:
/// only this, until ``forgetAt``, so its later events are refused rather than starting it anew.
public struct SubjectRefusal: Sendable, Equatable {
    /// The tracker's "now" when it refused the subject.
    public var at: Timestamp
    /// The bound it exceeded, for people (the `reason_text` of its `sla.stopped`).
    public var text: String
    /// When the record of the refusal may be dropped.
    public var forgetAt: Timestamp

    /// The stable code on the `sla.stopped` events of the clocks it stopped.
    public static let code = "oversized"
}
