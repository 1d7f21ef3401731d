// How much of one subject the tracker keeps before it refuses the subject.

/// Bounds on one subject's kept state.
///
/// The tracker re-derives a subject's clocks from its whole history on every event, and the
/// changelog stores that history in one Kafka record: a ticket that gathered 20 000 events
/// stalled its partition and would outgrow `message.max.bytes`. Past either bound the subject
/// is refused (see ``SubjectRefusal``): its running clocks stop with reason `oversized`, its
/// history is dropped, and its later events are refused, each in constant time.
public struct TrackerLimits: Sendable, Equatable {
    /// Events kept per subject at most (`worker.max_history`). A 95598 ticket has a few dozen.
    public var maxHistory: Int
    /// Largest stored state, in bytes (derived from the producer's `message.max.bytes`).
    public var maxStateBytes: Int

    /// Bounds; the defaults fit Kafka's default `message.max.bytes` (1 000 000) many times over.
    public init(maxHistory: Int = 500, maxStateBytes: Int = 900_000) {
        self.maxHistory = maxHistory; self.maxStateBytes = maxStateBytes
    }

    /// Why keeping `fact` on top of `state` would exceed a bound, or nil.
    func excess(adding fact: Fact, to state: SubjectState, policy: Policy) -> String? {
        if state.facts.count + 1 > maxHistory {
            return "its history would exceed \(maxHistory) events (worker.max_history)"
        }
        let bytes = StateCodec.sizeBound(of: state, policy: policy) + StateCodec.sizeBound(of: fact)
        if bytes > maxStateBytes {
            return "its stored state would exceed \(maxStateBytes) bytes (message.max.bytes less headroom)"
        }
        return nil
    }
}
