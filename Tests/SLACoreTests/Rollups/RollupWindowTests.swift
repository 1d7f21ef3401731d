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

    @Test func quartersAndYearsAreLocalToo() {
        let c = Fixtures.calendar
        let late = RollupWindow.of(Fixtures.t("2026-12-31T23:59"), .quarter, calendar: c)
        #expect(late.label == "2026-Q4" && late.start == Fixtures.t("2026-10-01T00:00") && late.end == Fixtures.t("2027-01-01T00:00"))
        // 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Beijing: the next quarter and year.
        let utc = Fixtures.t("2026-12-31T16:30:00Z")
        #expect(RollupWindow.of(utc, .quarter, calendar: c).label == "2027-Q1" && RollupWindow.of(utc, .year, calendar: c).label == "2027")
        let year = RollupWindow.of(Fixtures.t("2026-07-01T00:00"), .year, calendar: c)
        #expect(year.label == "2026" && year.start == Fixtures.t("2026-01-01T00:00") && year.end == Fixtures.t("2027-01-01T00:00"))
        let q = RollupWindow.of(Fixtures.t("2028-02-29T12:00"), .quarter, calendar: c)
        #expect(q.label == "2028-Q1" && q.end == Fixtures.t("2028-04-01T00:00"))
        #expect(RollupWindow.of(Fixtures.t("2026-06-30T23:59"), .quarter, calendar: c).label == "2026-Q2")
        #expect(RollupWindow.of(Fixtures.t("2026-07-01T00:00"), .quarter, calendar: c).label == "2026-Q3")
    }
}
