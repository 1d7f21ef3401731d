// One record of the rollups topic as the PostgreSQL sink stores it.

import Foundation

/// A rollup cell, a scorecard, a verdict row or a star rating, read from its JSON on the rollups topic.
enum SinkRecord: Sendable, Equatable {
    /// A rollup cell: its key and the columns of `slawatch_rollups`.
    case rollup(key: String, columns: [String: SinkValue])
    /// A scorecard: the columns of `slawatch_scorecards`.
    case scorecard(columns: [String: SinkValue])
    /// An agent's scorecard: the columns of `slawatch_agent_scorecards` (contract v1.4).
    case agentScorecard(columns: [String: SinkValue])
    /// A yearly star rating: the columns of `slawatch_stars` (contract v1.4).
    case stars(columns: [String: SinkValue])
    /// A stage cycle's row: its key and the columns of `slawatch_verdicts` (contract v1.3).
    case verdict(key: String, columns: [String: SinkValue])

    /// The revision, which decides whether a row is replaced.
    var revision: Int64 {
        switch self {
        case .rollup(_, let c), .scorecard(let c), .verdict(_, let c), .agentScorecard(let c), .stars(let c): if case .int(let r)? = c["revision"] { return r }; return 0
        }
    }

    /// The row it replaces: a rollup or verdict by its key, a scorecard by month and owner, stars by year, view and owner.
    var rowKey: String {
        switch self {
        case .rollup(let key, _): return "r|" + key
        case .verdict(let key, _): return "v|" + key
        case .scorecard(let c):
            if case .text(let m)? = c["month"], case .text(let u)? = c["unit"] { return "s|\(m)|\(u)" }
            return "s|"
        case .agentScorecard(let c):
            if case .text(let m)? = c["month"], case .text(let a)? = c["agent"] { return "a|\(m)|\(a)" }
            return "a|"
        case .stars(let c):
            if case .text(let y)? = c["year"], case .text(let v)? = c["view"], case .text(let o)? = c["owner"] { return "y|\(y)|\(v)|\(o)" }
            return "y|"
        }
    }

    /// Reads a record; throws a reason for anything that is not a rollup or scorecard of the contract.
    static func parse(key: String, value: [UInt8]) throws(SinkRefusal) -> SinkRecord {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { throw SinkRefusal("not a JSON object") }
        func column(_ name: String, _ type: SinkValue.Kind, optional: Bool = false) throws(SinkRefusal) -> (String, SinkValue) {
            let v = object[name]
            if v == nil || v is NSNull {
                guard optional else { throw SinkRefusal("\(name): missing") }
                return (name, .null)
            }
            switch type {
            case .text, .time:
                guard let s = v as? String else { throw SinkRefusal("\(name): not a string") }
                if type == .time {
                    guard let d = SinkValue.date(s) else { throw SinkRefusal("\(name): not an RFC 3339 time") }
                    return (name, .time(d))
                }
                return (name, .text(s))
            case .int:
                guard let n = v as? NSNumber, n.doubleValue == n.doubleValue.rounded(), abs(n.doubleValue) < 9e15 else {
                    throw SinkRefusal("\(name): not an integer")
                }
                return (name, .int(n.int64Value))
            case .double:
                guard let n = v as? NSNumber else { throw SinkRefusal("\(name): not a number") }
                return (name, .double(n.doubleValue))
            case .bool:
                guard let b = v as? Bool else { throw SinkRefusal("\(name): not a boolean") }
                return (name, .bool(b))
            }
        }
        // A nested array or object, kept as jsonb.
        func json(_ name: String, array: Bool, optional: Bool) throws(SinkRefusal) -> SinkValue {
            guard let v = object[name], !(v is NSNull) else {
                guard optional else { throw SinkRefusal("\(name): missing") }
                return .null
            }
            guard array ? v is [Any] : v is [String: Any], let data = try? JSONSerialization.data(withJSONObject: v) else {
                throw SinkRefusal("\(name): not an \(array ? "array" : "object")")
            }
            return .json(String(decoding: data, as: UTF8.self))
        }
        switch object["record"] as? String {
        case "rollup":
            var cols: [(String, SinkValue)] = [
                try column("view", .text), try column("grain", .text), try column("window_start", .time), try column("window_end", .time),
                try column("as_of", .time), try column("revision", .int),
            ]
            cols.append(("window_label", try column("window", .text).1))
            for name in ["unit", "kind", "stage", "region", "agent"] { cols.append(try column(name, .text, optional: true)) }
            for name in SinkValue.rollupCounts { cols.append(try column(name, .int)) }
            for name in SinkValue.rollupRates { cols.append(try column(name, .double, optional: true)) }
            // v1.3 volumes, absent from older records.
            for name in SinkValue.volumeCounts { cols.append(try column(name, .int, optional: true)) }
            for name in SinkValue.volumeRates { cols.append(try column(name, .double, optional: true)) }
            return .rollup(key: key, columns: Dictionary(uniqueKeysWithValues: cols))
        case "scorecard", "agent_scorecard":
            let agent = object["record"] as? String == "agent_scorecard"
            var cols: [(String, SinkValue)] = [
                try column("month", .text), try column(agent ? "agent" : "unit", .text), try column("window_start", .time), try column("window_end", .time),
                try column("score", .double), try column("grade", .text), try column("assessed", .bool), try column("deductions", .double),
                try column("as_of", .time), try column("revision", .int), try column("on_time_rate", .double, optional: true),
            ]
            for name in ["met", "missed", "overdue"] { cols.append(try column(name, .int)) }
            // v1.3, absent from older records.
            cols += [try column("graded", .bool, optional: true), try column("method", .text, optional: true), try column("verdicts", .int, optional: true)]
            cols.append(("stages", try json("stages", array: true, optional: true)))
            return agent ? .agentScorecard(columns: Dictionary(uniqueKeysWithValues: cols)) : .scorecard(columns: Dictionary(uniqueKeysWithValues: cols))
        case "stars":
            guard let view = object["view"] as? String, view == "unit" || view == "agent" else { throw SinkRefusal("view: neither \"unit\" nor \"agent\"") }
            var cols: [(String, SinkValue)] = [
                try column("year", .text), try column("view", .text), try column("window_start", .time), try column("window_end", .time),
                try column("stars", .int, optional: true), try column("rated", .bool), try column("mean_score", .double, optional: true),
                try column("graded_months", .int), try column("as_of", .time), try column("revision", .int),
            ]
            cols.append(("owner", try column(view, .text).1))
            if case .int(let n)? = cols.first(where: { $0.0 == "stars" })?.1, !(1...5).contains(n) { throw SinkRefusal("stars: \(n) is not 1 to 5") }
            cols.append(("months", try json("months", array: true, optional: false)))
            cols.append(("bands", try json("bands", array: false, optional: false)))
            return .stars(columns: Dictionary(uniqueKeysWithValues: cols))
        case "verdict":
            var cols: [(String, SinkValue)] = [
                try column("subject_type", .text), try column("subject_id", .text), try column("kind", .text), try column("stage", .text),
                try column("month", .text), try column("verdict", .text), try column("overdue", .bool), try column("as_of", .time),
                try column("revision", .int), try column("cycle", .int, optional: true), try column("elapsed_seconds", .double, optional: true),
            ]
            for name in ["charged_to", "unit", "agent", "region", "customer_class"] { cols.append(try column(name, .text, optional: true)) }
            for name in ["started_at", "deadline", "ended_at"] { cols.append(try column(name, .time, optional: true)) }
            return .verdict(key: key, columns: Dictionary(uniqueKeysWithValues: cols))
        default:
            throw SinkRefusal("record: not \"rollup\", \"scorecard\", \"agent_scorecard\", \"verdict\" or \"stars\"")
        }
    }
}

/// A column value of the sink's tables.
enum SinkValue: Sendable, Equatable {
    case null, text(String), int(Int64), double(Double), bool(Bool), time(Date)
    /// JSON text, stored as jsonb.
    case json(String)

    enum Kind { case text, int, double, bool, time }

    static let rollupCounts = ["outcomes", "met", "missed", "voided", "overdue", "linked", "closed", "callbacks", "satisfaction_count", "elapsed_count"]
    static let volumeCounts = ["received", "handled", "answered", "reopened", "sent_back", "first_time", "satisfied"]
    static let volumeRates = ["handled_rate", "answered_rate", "first_time_rate", "satisfied_rate"]
    static let rollupRates = ["on_time_rate", "callback_rate", "satisfaction_avg", "elapsed_mean_seconds", "elapsed_p50_seconds", "elapsed_p90_seconds"]

    static func date(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}

/// Why a rollups record cannot be stored.
struct SinkRefusal: Error, Sendable, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}
