// A unit's or an agent's year in stars (1–5 星, seed 000): from the monthly scores it keeps,
// because the month cells those scores came from are pruned long before the year ends.

/// The yearly star rating of one owner (unit charged, or agent) of a view.
///
/// It keeps each month's final score itself: month cells (and the scorecards made from them)
/// go after `rollup_retention`, but the year needs every month of the year.
public struct StarRating: Sendable, Equatable {
    /// One month's score as it was last computed.
    public struct Month: Sendable, Equatable {
        public var label: String
        /// The month's score, in thousandths.
        public var score: Int64
        /// Whether the month had enough verdicts to be graded (only graded months count).
        public var graded: Bool
        public var verdicts: Int64
        /// The month scorecard's revision it was taken from.
        public var revision: Int64 = 0
    }

    public var view: RollupView
    public var owner: String
    public var year: RollupWindow
    /// The months with a scorecard, by label.
    public var months: [Month]
    /// The sum of its months' scorecard revisions: grows with every change of a month, and is
    /// the same however often the months were looked at (the daemon and replay agree).
    public var revision: Int64 { months.reduce(0) { $0 + $1.revision } }
    /// Minimum mean score (thousandths) for 5, 4, 3 and 2 stars; below the last, 1 star.
    public var bands: [Int64]

    /// Months that count.
    public var gradedMonths: Int { months.filter(\.graded).count }

    /// The mean of the graded months' scores, in thousandths, rounded half up; nil without any.
    public var meanScore: Int64? {
        let g = months.filter(\.graded)
        guard !g.isEmpty else { return nil }
        let sum = g.reduce(Int64(0)) { $0 + $1.score }
        return (2 * sum + Int64(g.count)) / (2 * Int64(g.count))
    }

    /// 5 down to 1; nil when no month was graded (not rated).
    public var stars: Int? {
        guard let mean = meanScore else { return nil }
        for (i, floor) in bands.enumerated() where mean >= floor { return 5 - i }
        return 1
    }

    /// Records a month's score; whether anything changed.
    mutating func record(_ m: Month) -> Bool {
        if let i = months.firstIndex(where: { $0.label == m.label }) {
            guard months[i] != m else { return false }
            months[i] = m
        } else {
            months.append(m)
            months.sort { $0.label < $1.label }
        }
        return true
    }

    /// The record's key on the rollups topic: `stars|<year>|unit|<unit>` or `stars|<year>|agent|<agent>`.
    public var keyText: String { "stars|\(year.label)|\(view.rawValue)|\(RollupKey.escaped(owner))" }

    /// The rating as one JSON object in UTF-8 (a record value).
    public func json(calendar: BusinessCalendar, asOf: Timestamp) -> [UInt8] {
        var j = JSONText()
        j.add("record", "stars")
        j.add("view", view.rawValue)
        j.add("year", year.label)
        j.add(view == .unit ? "unit" : "agent", owner)
        j.add("window_start", year.start, in: calendar)
        j.add("window_end", year.end, in: calendar)
        j.add("stars", stars.map(Int64.init))
        j.add("rated", stars != nil)
        j.add("mean_score", meanScore.map { Double($0) / 1000 })
        j.add("graded_months", Int64(gradedMonths))
        j.add("months", objects: months.map { m in
            var o = JSONText()
            o.add("month", m.label); o.add("score", Double(m.score) / 1000); o.add("graded", m.graded); o.add("verdicts", m.verdicts)
            return o
        })
        var b = JSONText()
        for (i, floor) in bands.enumerated() { b.add(String(5 - i), Double(floor) / 1000) }
        j.add("bands", object: b)
        j.add("as_of", asOf, in: calendar)
        j.add("revision", revision)
        return j.bytes()
    }

    func encode(into w: inout ByteWriter) {
        w.string(view.rawValue); w.string(owner); w.string(year.label)
        w.signed(year.start.milliseconds); w.signed(year.end.milliseconds)
        w.varint(UInt64(months.count))
        for m in months { w.string(m.label); w.signed(m.score); w.byte(m.graded ? 1 : 0); w.signed(m.verdicts); w.signed(m.revision) }
    }

    /// An upper bound of the bytes ``encode(into:)`` writes, counted without encoding.
    var storedBytesBound: Int {
        view.rawValue.utf8.count + owner.utf8.count + year.label.utf8.count + 6 * 10
            + months.reduce(0) { $0 + $1.label.utf8.count + 10 + 3 * 10 + 1 }
    }

    static func decode(_ r: inout ByteReader, bands: [Int64]) throws(StateDecodingError) -> StarRating {
        let view = try r.value(RollupView.self)
        let owner = try r.string(), label = try r.string()
        let year = RollupWindow(grain: .year, label: label, start: Timestamp(milliseconds: try r.signed()), end: Timestamp(milliseconds: try r.signed()))
        let n = try r.varint()
        guard n <= 12 else { throw StateDecodingError(reason: "\(n) months in a year's stars") }
        var months: [Month] = []
        for _ in 0..<n {
            months.append(Month(label: try r.string(), score: try r.signed(), graded: try r.byte() == 1, verdicts: try r.signed(), revision: try r.signed()))
        }
        return StarRating(view: view, owner: owner, year: year, months: months, bands: bands)
    }
}
