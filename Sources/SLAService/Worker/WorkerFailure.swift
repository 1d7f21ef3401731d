// Why the worker stopped, by kind, with the error underneath: for the log, the exit and tests.

/// Why the worker stopped: it cannot go on without losing or repeating something.
public struct WorkerFailure: Error, Sendable, CustomStringConvertible {
    /// Which part of the worker gave up.
    public enum Kind: String, Sendable {
        /// A topic is missing or a changelog is not co-partitioned with its input (at start).
        case topics
        /// The outage table could not read the outages topic to its end (at start).
        case outages
        /// The consumer failed while polling.
        case consumer
        /// A record was refused by librdkafka or not delivered: going on would lose it.
        case delivery
        /// A partition's changelog could not be read back.
        case restore
        /// The last checkpoint did not finish within the shutdown timeout.
        case shutdown
    }

    /// Which part gave up.
    public var kind: Kind
    /// What went wrong, in words.
    public var description: String
    /// The error that caused it, when there was one (a `KafkaError` most often).
    public var underlying: (any Error)?

    init(_ kind: Kind, _ d: String, underlying: (any Error)? = nil) {
        self.kind = kind; description = d; self.underlying = underlying
    }
}
