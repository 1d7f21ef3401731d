// The question the tracker asks before timing a fault ticket: is it inside a known outage?

/// Answers whether a place is inside an active outage at an instant (rule 1).
public protocol OutageLookup {
    /// The active outage covering the feeder or the area at `time`, if any, and since when
    /// (event time) it is known.
    func covering(feeder: String?, area: String?, at time: Timestamp) -> OutageMatch?
    /// Every feeder and area any known outage names (a superset of what ``covering(feeder:area:at:)``
    /// can match at any instant), or nil when the lookup cannot tell: then every place may match.
    func coveredPlaces() -> (feeders: Set<String>, areas: Set<String>)?
}

extension OutageLookup {
    /// A lookup that cannot list its places: every place may match.
    public func coveredPlaces() -> (feeders: Set<String>, areas: Set<String>)? { nil }

    /// The id of an active outage covering the feeder or the area at `time`, if any.
    public func activeOutage(feeder: String?, area: String?, at time: Timestamp) -> String? {
        covering(feeder: feeder, area: area, at: time)?.outageId
    }
}

/// An outage that covers a place at an instant.
public struct OutageMatch: Sendable, Equatable {
    /// The outage.
    public var outageId: String
    /// The earliest `occurred_at` of its events: a ticket created before it was linked only
    /// once the outage was entered, so its clocks stop then and not earlier.
    public var knownAt: Timestamp

    /// A match.
    public init(outageId: String, knownAt: Timestamp) { self.outageId = outageId; self.knownAt = knownAt }
}

/// A lookup that knows of no outage.
public struct NoKnownOutages: OutageLookup {
    /// Creates the empty lookup.
    public init() {}
    public func covering(feeder: String?, area: String?, at time: Timestamp) -> OutageMatch? { nil }
    public func coveredPlaces() -> (feeders: Set<String>, areas: Set<String>)? { ([], []) }
}
