// GET /board: the ops desk's page, rendered on the server and refreshed by polling.

import Foundation

import SLACore

/// Renders the board as one HTML page: per unit charged, the clocks overdue now (oldest first,
/// with the ladder level reached), those due within `within` (30 min), those that cannot be
/// timed, and today's on-time rate per stage. The page asks for its own body again every 10 s
/// (`?fragment=1`), so it stays live without a reload and works with scripts off (a reload
/// shows the same). Each ticket links to `/tickets/{id}`, the explanation of its deadlines,
/// which the instance holding the ticket answers.
public enum BoardPage {
    /// The whole page, or with `fragment` only the body the page's refresh swaps in.
    public static func render(_ board: ClockBoard, query q: BoardQuery, now: Timestamp, complete: Bool,
                              calendar: BusinessCalendar, fragment: Bool) -> String {
        let l = BoardLabels(q.language)
        let body = main(board, q, l, now: now, complete: complete, calendar: calendar)
        if fragment { return body }
        let lang = q.language == .zh ? "zh-CN" : "en"
        return """
            <!DOCTYPE html>
            <html lang="\(lang)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(l.title)</title>
            <style>
            body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.2em;color:#222}
            h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.2em 0 .4em}
            table{border-collapse:collapse;min-width:50%}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
            th{background:#f2f2f2}.overdue td{background:#fde8e8}.due td{background:#fff6dc}.unresolved td{background:#eef}
            .meta{color:#666;font-size:.9em}.warn{color:#a00;font-weight:bold}nav a{margin-right:.8em}
            </style></head><body>
            <main id="board">\(body)</main>
            <script>
            // Every 10 s the page asks for its body again and swaps it in: live without a reload.
            setInterval(function () {
              var u = new URL(window.location.href); u.searchParams.set("fragment", "1");
              fetch(u).then(function (r) { return r.ok ? r.text() : null; })
                .then(function (t) { if (t !== null) document.getElementById("board").innerHTML = t; })
                .catch(function () {});
            }, 10000);
            </script>
            </body></html>

            """
    }

    private static func main(_ board: ClockBoard, _ q: BoardQuery, _ l: BoardLabels, now: Timestamp, complete: Bool, calendar: BusinessCalendar) -> String {
        // Each list as far as the page shows it, and its whole count (a pass over packed slots).
        let overdue = board.overdue(now: now, party: q.unit, limit: q.limit), overdueCount = board.overdueCount(now: now, party: q.unit)
        let due = board.due(now: now, within: q.within, party: q.unit, limit: q.limit)
        let dueCount = board.dueCount(now: now, within: q.within, party: q.unit)
        let unresolved = board.unresolved(party: q.unit, limit: q.limit), unresolvedCount = board.unresolvedCount(party: q.unit)
        let rates = board.todayRates(now: now, calendar: calendar, party: q.unit)
        var h = "<h1>\(l.title)</h1>"
        h += "<p class=\"meta\">\(l.updated) <time id=\"now\">\(html(short(now, calendar)))</time>"
        if let since = board.earliest { h += " · \(l.followingSince) \(html(short(since, calendar)))" }
        let other = l.otherLanguage
        h += " · <a href=\"\(link(q, lang: other.code, unit: q.unit))\">\(other.label)</a></p>"
        if !complete { h += "<p class=\"warn\" id=\"incomplete\">\(l.catchingUp)</p>" }
        // The units: all, then each party with a clock on the board.
        h += "<nav>" + "<a href=\"\(link(q, lang: q.language.rawValue, unit: nil))\">\(l.allUnits)</a>"
        for p in board.parties { h += "<a href=\"\(link(q, lang: q.language.rawValue, unit: p))\">\(html(p))</a>" }
        h += "</nav>"

        h += "<h2>\(l.overdue) (<span id=\"overdue-count\">\(overdueCount)</span>)</h2>"
        h += table(id: "overdue", [l.unit, l.ticket, l.stage, l.deadline, l.overdueBy, l.level], overdue.map { c in
            (c, "overdue", [html(c.party), ticketLink(c), html(l.stageName(c.stage)), html(c.deadline.map { short($0, calendar) } ?? ""),
                            html(span(now.milliseconds - (c.deadline ?? now).milliseconds)), html(l.levelName(c.ladderLevel))])
        }, l)
        let minutes = q.within.milliseconds / 60_000
        h += "<h2>\(l.dueSoon) (\(q.language == .zh ? "\(minutes) \(l.within)" : "within \(minutes) \(l.within)"), <span id=\"due-count\">\(dueCount)</span>)</h2>"
        h += table(id: "due", [l.unit, l.ticket, l.stage, l.deadline, l.remaining], due.map { c in
            (c, "due", [html(c.party), ticketLink(c), html(l.stageName(c.stage)), html(c.deadline.map { short($0, calendar) } ?? ""),
                        html(span((c.deadline ?? now).milliseconds - now.milliseconds))])
        }, l)
        h += "<h2>\(l.unresolved) (<span id=\"unresolved-count\">\(unresolvedCount)</span>)</h2>"
        h += table(id: "unresolved", [l.unit, l.ticket, l.stage, l.since, l.reason], unresolved.map { c in
            var reason = ""
            if case .unresolved(let r, let m) = c.state { reason = r + (m.map { " (\($0))" } ?? "") }
            return (c, "unresolved", [html(c.party), ticketLink(c), html(l.stageName(c.stage)), html(short(c.startedAt, calendar)), html(reason)])
        }, l)
        h += "<h2>\(l.todayRates)</h2>"
        if rates.isEmpty {
            h += "<p class=\"none\">\(l.none)</p>"
        } else {
            h += "<table id=\"rates\"><tr><th>\(l.unit)</th><th>\(l.stage)</th><th>\(l.met)</th><th>\(l.missed)</th><th>\(l.rate)</th></tr>"
            for r in rates {
                let pct = String(format: "%.1f %%", r.onTimeRate * 100)
                h += "<tr class=\"rate\" data-unit=\"\(html(r.party))\" data-stage=\"\(html(r.stage))\"><td>\(html(r.party))</td><td>\(html(l.stageName(r.stage)))</td>"
                    + "<td>\(r.met)</td><td>\(r.missed)</td><td>\(pct)</td></tr>"
            }
            h += "</table>"
        }
        return h
    }

    private static func table(id: String, _ headers: [String], _ rows: [(BoardClock, String, [String])], _ l: BoardLabels) -> String {
        guard !rows.isEmpty else { return "<p class=\"none\" id=\"\(id)-none\">\(l.none)</p>" }
        var h = "<table id=\"\(id)\"><tr>" + headers.map { "<th>\($0)</th>" }.joined() + "</tr>"
        for (c, cls, cells) in rows {
            h += "<tr class=\"clock \(cls)\" data-ticket=\"\(html(c.subjectId))\" data-stage=\"\(html(c.stage))\" data-unit=\"\(html(c.party))\">"
                + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        return h + "</table>"
    }

    private static func ticketLink(_ c: BoardClock) -> String {
        guard c.subjectType == .ticket else { return html(c.subjectId) }
        return "<a href=\"/tickets/\(percent(c.subjectId))\">\(html(c.subjectId))</a>"
    }

    private static func link(_ q: BoardQuery, lang: String, unit: String?) -> String {
        var parts = ["lang=\(lang)"]
        if let unit { parts.append("unit=\(percent(unit))") }
        if q.within != .minutes(30) { parts.append("within=\(q.within.milliseconds / 1000)s") }
        return "/board?" + parts.joined(separator: "&amp;")
    }

    /// `MM-dd HH:mm` in the calendar's zone.
    private static func short(_ t: Timestamp, _ calendar: BusinessCalendar) -> String {
        let s = Array(calendar.format(t))   // 2026-12-15T10:45:00+08:00
        return String(s[5..<10]) + " " + String(s[11..<16])
    }

    /// A length of time as `1 h 05 min` / `12 min` / `40 s`.
    private static func span(_ ms: Int64) -> String {
        let s = max(0, ms / 1000)
        if s < 60 { return "\(s) s" }
        let m = s / 60
        return m < 60 ? "\(m) min" : "\(m / 60) h \(String(format: "%02d", m % 60)) min"
    }

    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    private static func percent(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            default: out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
