// Shared test inputs: the shipped policy and calendar, read from the repository.

import Foundation
@testable import SLACore

enum Fixtures {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ relative: String) -> String {
        try! String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static let policy: Policy = try! PolicyLoader.parse(text("policy/95598.yaml"), file: "policy/95598.yaml")
    static let calendar: BusinessCalendar = try! CalendarLoader.parse(text("calendar/cn-mainland.yaml"), file: "calendar/cn-mainland.yaml")

    /// The shipped calendar text up to 2026: the calendar as it was before 2027 was added.
    static let calendarText2026: String = {
        let full = text("calendar/cn-mainland.yaml")
        let cut = full.range(of: "\n  2027:")!.lowerBound
        return String(full[..<cut]).replacingOccurrences(of: "version: cn-mainland-2026.12-p2027", with: "version: cn-mainland-2026.11") + "\n"
    }()
    /// The shipped calendar without 2027.
    static let calendar2026: BusinessCalendar = try! CalendarLoader.parse(calendarText2026, file: "calendar-2026.yaml")

    /// An instant from local Beijing time text, e.g. `t("2026-11-20T08:00")`.
    static func t(_ local: String) -> Timestamp {
        let full = local.count == 16 ? local + ":00+08:00" : local
        return RFC3339.parse(full)!.0
    }
}
