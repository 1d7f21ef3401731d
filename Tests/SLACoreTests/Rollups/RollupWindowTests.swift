import Testing
@testable import SLACore

@Suite struct RollupWindowTests {
    @Test func windowsAreLocalHoursDaysAndMonths() {
        let t = Fixtures.t("2026-11-30T16:30:00Z")  // 2026-12-01 00:30 in Beijing
        let hour = RollupWindow.of(t, .hour, calendar: Fixtures.calendar)
        #expect(hour.label == "2026-12-01T00" && hour.start == Fixtures.t("2026-12-01T00:00") && hour.end == Fixtures.t("2026-12-01T01:00"))
        let day = RollupWindow.of(t, .day, calendar: Fixtures.calendar)
        #expect(day.label == "2026-12-01" && day.end == Fixtures.t("2026-12-02T00:00"))
        let month = RollupWindow.of(Fixtures.t("2026-11-30T23:59"), .month, calendar: Fixtures.calendar)
        #expect(month.label == "2026-11" && month.start == Fixtures.t("2026-11-01T00:00") && month.end == Fixtures.t("2026-12-01T00:00"))
        #expect(RollupWindow.of(Fixtures.t("2028-02-10T10:00"), .month, calendar: Fixtures.calendar).end == Fixtures.t("2028-03-01T00:00"))
    }
}
