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

    /// An instant from local Beijing time text, e.g. `t("2026-11-20T08:00")`.
    static func t(_ local: String) -> Timestamp {
        let full = local.count == 16 ? local + ":00+08:00" : local
        return RFC3339.parse(full)!.0
    }
}
