// Reads a business-calendar file (YAML) into a ``BusinessCalendar``, refusing it with file, line and reason.

import Foundation

/// Loads and validates the calendar file. See `docs/calendar.md` for the format.
public enum CalendarLoader {
    private static let weekdayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    /// Parses calendar text; `file` is the name used in problems.
    public static func parse(_ text: String, file: String) throws(FileProblem) -> BusinessCalendar {
        let root = try YAMLNode.parse(text, file: file)
        var zone = TimeZone(identifier: "Asia/Shanghai")!
        var weekdays: Set<Int> = [1, 2, 3, 4, 5]
        var close: Int?
        var open = 0
        var version: String?
        var provisional = Set<Int>()
        var holidays = Set<CivilDate>()
        var workdays = Set<CivilDate>()
        var years = Set<Int>()
        var sawYears = false
        for (key, value) in try root.mapping(allowed: ["version", "zone", "working_weekdays", "open_of_business", "close_of_business", "years"]) {
            switch key {
            case "zone":
                let name = try value.nonEmptyString()
                guard let z = TimeZone(identifier: name) else { throw value.problem("unknown time zone \"\(name)\"") }
                zone = z
            case "working_weekdays":
                weekdays = []
                for d in try value.sequence() {
                    let name = try d.string()
                    guard let n = weekdayNames[name] else { throw d.problem("unknown weekday \"\(name)\" (mon … sun)") }
                    weekdays.insert(n)
                }
                guard !weekdays.isEmpty else { throw value.problem("no working weekdays") }
            case "version":
                version = try value.nonEmptyString()
            case "close_of_business":
                close = try closeOfBusiness(value)
            case "open_of_business":
                open = try openOfBusiness(value)
            default:
                sawYears = true
                for (yearText, yearNode) in try value.mapping() {
                    guard let year = Int(yearText), (1970...9999).contains(year) else {
                        throw yearNode.problem("\"\(yearText)\" is not a year")
                    }
                    years.insert(year)
                    let fields = try yearNode.mapping(allowed: ["source", "provisional", "holidays", "workdays"])
                    for (k, flag) in fields where k == "provisional" {
                        switch try flag.string() {
                        case "true": provisional.insert(year)
                        case "false": break
                        default: throw flag.problem("provisional must be true or false")
                        }
                    }
                    for (k, list) in fields where k == "holidays" || k == "workdays" {
                        for item in try list.sequence() {
                            for date in try dates(item, year: year) {
                                if k == "holidays" {
                                    guard holidays.insert(date).inserted else { throw item.problem("\(date) is listed twice") }
                                } else {
                                    guard !weekdays.contains(date.isoWeekday) else {
                                        throw item.problem("\(date) is already a working weekday; only days off can be adjusted to working days")
                                    }
                                    guard workdays.insert(date).inserted else { throw item.problem("\(date) is listed twice") }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard sawYears, !years.isEmpty else { throw root.problem("missing key \"years\": the calendar must list at least one year") }
        if let both = holidays.intersection(workdays).min() {
            throw root.problem("\(both) is listed both as a holiday and as an adjusted working day")
        }
        if open >= (close ?? 86_400) {
            throw root.problem("open_of_business must be before close_of_business")
        }
        if let y = provisional.intersection(workdays.map(\.year)).min() {
            throw root.problem("\(y) is provisional but lists adjusted working days; a provisional year has none until its notice is out")
        }
        let hash = StableHash.of(text)
        return BusinessCalendar(zone: zone, workingWeekdays: weekdays, holidays: holidays,
                                adjustedWorkdays: workdays, coveredYears: years, closeOfBusiness: close,
                                openOfBusiness: open, provisionalYears: provisional,
                                version: version ?? "unversioned-" + String(StableHash.hex(hash).prefix(8)), contentHash: hash)
    }

    private static func openOfBusiness(_ n: YAMLNode) throws(FileProblem) -> Int {
        let s = try n.string()
        guard let t = secondsAfterMidnight(s) else { throw n.problem("open_of_business must be HH:MM (e.g. 08:30), got \"\(s)\"") }
        return t
    }

    private static func closeOfBusiness(_ n: YAMLNode) throws(FileProblem) -> Int? {
        let s = try n.string()
        if s == "none" || s == "24:00" { return nil }
        guard let t = secondsAfterMidnight(s), t > 0 else {
            throw n.problem("close_of_business must be HH:MM (e.g. 17:30) or none, got \"\(s)\"")
        }
        return t
    }

    /// `HH:MM` from 00:00 to 23:59 as seconds after midnight.
    private static func secondsAfterMidnight(_ s: String) -> Int? {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return (h * 60 + m) * 60
    }

    /// One date (`2026-10-01`) or an inclusive run (`2026-10-01..2026-10-07`), all inside `year`.
    private static func dates(_ n: YAMLNode, year: Int) throws(FileProblem) -> [CivilDate] {
        let s = try n.string()
        let ends = s.components(separatedBy: "..")
        guard ends.count <= 2, let first = CivilDate.parse(ends[0]), let last = CivilDate.parse(ends.last!) else {
            throw n.problem("not a date or a date run: \"\(s)\" (write 2026-10-01 or 2026-10-01..2026-10-07)")
        }
        guard first <= last else { throw n.problem("the run \(s) ends before it starts") }
        guard first.year == year, last.year == year else { throw n.problem("\(s) is not in \(year)") }
        return (first.daysSinceEpoch...last.daysSinceEpoch).map { CivilDate(daysSinceEpoch: $0) }
    }
}
