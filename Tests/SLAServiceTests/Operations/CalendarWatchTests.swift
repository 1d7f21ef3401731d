import Logging
import Testing
import SLACore
@testable import SLAService

/// The coverage warning comes once a day while fewer than the configured days remain.
@Suite struct CalendarWatchTests {
    static func t(_ s: String) -> Timestamp { RFC3339.parse(s)!.0 }

    @Test func warnsOncePerDayBelowTheThreshold() throws {
        let full = try DefaultFiles.calendar()
        let text = DefaultFiles.calendarText
        let short = try CalendarLoader.parse(String(text[..<text.range(of: "\n  2027:")!.lowerBound]) + "\n", file: "short.yaml")
        let watch = CalendarWatch(calendar: short, warnDays: 60, logger: Logger(label: "test"))
        #expect(!watch.check(now: Self.t("2026-10-01T09:00:00+08:00")))   // 91 days left
        #expect(watch.check(now: Self.t("2026-12-02T10:00:00+08:00")))    // 29 days left
        #expect(!watch.check(now: Self.t("2026-12-02T18:00:00+08:00")))   // same local day
        #expect(watch.check(now: Self.t("2026-12-03T09:00:00+08:00")))    // the next day
        watch.update(full, now: Self.t("2026-12-03T10:00:00+08:00"))
        #expect(!watch.check(now: Self.t("2026-12-04T10:00:00+08:00")))   // 392 days left
        #expect(watch.coverage(now: Self.t("2026-12-04T10:00:00+08:00")).coverage.daysLeft == 392)
    }
}
