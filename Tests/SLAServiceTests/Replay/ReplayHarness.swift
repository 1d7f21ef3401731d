// Test helpers: JSON event lines and a replay engine over the built-in policy and calendar.

import SLACore
import SLAService

/// Builds one v1 event as JSON text, the way a producer would write it.
func line(_ subject: String, _ kind: String, _ action: String, _ local: String, _ extra: String = "") -> [UInt8] {
    let key = SubjectKind(rawValue: kind)!.subject == .ticket ? "ticket_id" : "outage_id"
    let at = local.count == 16 ? local + ":00+08:00" : local
    nextEventNumber += 1
    let text = #"{"event_id":"ev-\#(nextEventNumber)","\#(key)":"\#(subject)","kind":"\#(kind)","action":"\#(action)","occurred_at":"\#(at)","unit":"U1""#
        + (extra.isEmpty ? "" : "," + extra) + "}"
    return Array(text.utf8)
}
nonisolated(unsafe) private var nextEventNumber = 0

/// A replay engine on the shipped defaults, collecting what it emits.
struct Harness {
    var engine = ReplayEngine(tracker: SLATracker(policy: try! DefaultFiles.policy(), calendar: try! DefaultFiles.calendar()))
    var out: [SLAEvent] = []

    mutating func feed(_ bytes: [UInt8]) throws {
        out += try engine.feed(try EventDecoder.any(bytes))
    }

    mutating func advance(to local: String) {
        out += engine.advance(to: at(local))
    }

    func events(_ subject: String, stage: String) -> [SLAEvent] {
        out.filter { $0.subject.id == subject && $0.stage == stage }
    }
}

/// A local Beijing time (`2026-11-20T08:00`) or full RFC 3339 text as an instant.
func at(_ local: String) -> Timestamp { RFC3339.parse(local.count == 16 ? local + ":00+08:00" : local)!.0 }
