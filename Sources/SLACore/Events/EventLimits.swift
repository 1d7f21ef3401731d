// The largest value each field of the contract may carry, and the instants it may name.

/// Bounds of the v1 contract, checked at decode.
///
/// Every text the daemon copies into what it writes (events, outcomes, rollup keys, stored
/// state) has a maximum length, so no valid event can make a record larger than Kafka takes:
/// a 500 000-character `unit` would be copied into every event and outcome of its ticket, and
/// the first record over `message.max.bytes` used to stop the worker. Lengths count UTF-8 bytes.
public enum EventLimits {
    /// `event_id`: a UUID, or a producer's composite id.
    public static let eventId = 200
    /// `ticket_id` / `outage_id`: the Kafka key and part of every output id.
    public static let subjectId = 128
    /// `unit`, `agent`, `feeder`, `area`, each entry of `feeders`, `areas`, `key_customers`.
    public static let name = 128
    /// `cause`: free text, never copied into outputs.
    public static let freeText = 2_000
    /// Entries of `feeders`, `areas` and `key_customers` (an outage's place lists; every
    /// instance holds each known outage's feeders and areas in its outage table).
    public static let listEntries = 256

    /// The instants an input event may name: years 1971 to 9996 (UTC). Everything derived from
    /// one (a deadline of up to ``longestSpan`` or 366 working days, an escalation up to
    /// ``longestSpan`` after it, a notice due before a start) then lies within ``representable``.
    public static let accepted = Timestamp(milliseconds: 31_536_000_000)..<Timestamp(milliseconds: 253_307_692_800_000)
    /// The instants the output format and the calendar's day arithmetic hold: years 1970 to
    /// 9999 (RFC 3339 has four-digit years; the calendar starts at the Unix epoch). Outcome
    /// records the daemon reads back are checked against these.
    public static let representable = Timestamp(milliseconds: 0)..<Timestamp(milliseconds: 253_402_300_800_000)
    /// Longest limit, lead or escalation offset a policy may set (the policy loader refuses more).
    public static let longestSpan = TimeSpan.days(366)

    /// The reason an instant is refused, or nil when it lies in `range`.
    public static func refusal(of t: Timestamp, in range: Range<Timestamp> = accepted) -> String? {
        let years = range == accepted ? "1971 to 9996" : "1970 to 9999"
        if t < range.lowerBound { return "too early (accepted: years \(years), UTC)" }
        if t >= range.upperBound { return "too late (accepted: years \(years), UTC)" }
        return nil
    }
}
