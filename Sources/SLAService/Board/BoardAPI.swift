// GET /api/clocks: the board's lists as JSON, for screens and scripts.

import SLACore

/// Renders `/api/clocks?state=overdue|due|unresolved&within=30m&unit=…` from a board.
///
/// `{"state":…,"now":…,"complete":…,"events_since":…,"count":n,"clocks":[…]}`: each clock with
/// its subject (`ticket_id` or `outage_id`), `kind`, `stage`, `cycle`, `unit`, `charged_to`,
/// `started_at`, `deadline`, and `overdue_seconds` (overdue) or `remaining_seconds` (due), the
/// ladder `level` reached, and for unresolved clocks `reason` and `missing`. `count` is the
/// number of clocks in the state; at most `limit` are listed.
public enum BoardAPI {
    public static func clocks(_ board: ClockBoard, query q: BoardQuery, now: Timestamp, complete: Bool, calendar: BusinessCalendar) -> String {
        let list: [BoardClock], count: Int
        switch q.state {
        case .overdue: (list, count) = (board.overdue(now: now, party: q.unit, limit: q.limit), board.overdueCount(now: now, party: q.unit))
        case .due: (list, count) = (board.due(now: now, within: q.within, party: q.unit, limit: q.limit),
                                    board.dueCount(now: now, within: q.within, party: q.unit))
        case .unresolved: (list, count) = (board.unresolved(party: q.unit, limit: q.limit), board.unresolvedCount(party: q.unit))
        }
        var out = "{\"state\":\"\(q.state.rawValue)\",\"now\":\(JSONText.quoted(calendar.format(now))),\"complete\":\(complete)"
        if let since = board.earliest { out += ",\"events_since\":\(JSONText.quoted(calendar.format(since)))" }
        if q.state == .due { out += ",\"within_seconds\":\(q.within.milliseconds / 1000)" }
        out += ",\"count\":\(count),\"clocks\":["
        for (i, c) in list.enumerated() {
            if i > 0 { out += "," }
            out += clock(c, now: now, calendar: calendar)
        }
        return out + "]}\n"
    }

    static func clock(_ c: BoardClock, now: Timestamp, calendar: BusinessCalendar) -> String {
        let subject = c.subjectType == .ticket ? "ticket_id" : "outage_id"
        var f: [String] = [
            "\"\(subject)\":\(JSONText.quoted(c.subjectId))",
            "\"kind\":\(JSONText.quoted(c.kind))", "\"stage\":\(JSONText.quoted(c.stage))", "\"cycle\":\(c.cycle)",
        ]
        if let u = c.unit { f.append("\"unit\":\(JSONText.quoted(u))") }
        f.append("\"charged_to\":\(JSONText.quoted(c.party))")
        f.append("\"started_at\":\(JSONText.quoted(calendar.format(c.startedAt)))")
        if let d = c.deadline {
            f.append("\"deadline\":\(JSONText.quoted(calendar.format(d)))")
            let s = (now.milliseconds - d.milliseconds) / 1000
            f.append(s >= 0 ? "\"overdue_seconds\":\(s)" : "\"remaining_seconds\":\(-s)")
        }
        if let l = c.ladderLevel { f.append("\"level\":\(JSONText.quoted(l))") }
        if case .unresolved(let reason, let missing) = c.state {
            f.append("\"reason\":\(JSONText.quoted(reason))")
            if let m = missing { f.append("\"missing\":\(JSONText.quoted(m))") }
        }
        return "{" + f.joined(separator: ",") + "}"
    }
}
