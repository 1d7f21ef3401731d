// The question the tracker asks before timing a fault ticket: is it inside a known outage?

/// Answers whether a place is inside an active outage at an instant (rule 1).
public protocol OutageLookup {
    /// The id of an active outage covering the feeder or the area at `time`, if any.
    func activeOutage(feeder: String?, area: String?, at time: Timestamp) -> String?
}

/// A lookup that knows of no outage.
public struct NoKnownOutages: OutageLookup {
    /// Creates the empty lookup.
    public init() {}
    public func activeOutage(feeder: String?, area: String?, at time: Timestamp) -> String? { nil }
}
