import Testing
@testable import SLACore

@Suite struct CalendarLoaderTests {
    @Test func loadsTheShippedCalendar() {
        let c = Fixtures.calendar
        #expect(c.zone.identifier == "Asia/Shanghai")
        #expect(c.coveredYears == [2024, 2025, 2026, 2027])
        #expect(c.provisionalYears == [2027])
        #expect(c.version == "cn-mainland-2026.12-p2027")
        // 2027 provisional: the statutory days of the 2024 revision, 13 in all, no adjusted days.
        #expect(c.holidays.filter { $0.year == 2027 }.count == 13)
        #expect(c.adjustedWorkdays.allSatisfy { $0.year < 2027 })
        #expect(c.adjustedWorkdays.count == 19)
        #expect(c.adjustedWorkdays.allSatisfy { $0.isoWeekday >= 6 })
        #expect(c.closeOfBusiness == nil)
    }

    @Test(arguments: [
        ("zone: Mars/Olympus\nyears: {2026: {}}", "c.yaml:1:7: zone: unknown time zone \"Mars/Olympus\""),
        ("zone: Asia/Shanghai", "c.yaml:1:1: missing key \"years\""),
        ("years: {2026: {holidays: [2026-02-30]}}", "c.yaml:1:27: years.2026.holidays[0]: not a date or a date run: \"2026-02-30\""),
        ("years: {2026: {holidays: [2025-10-01]}}", "c.yaml:1:27: years.2026.holidays[0]: 2025-10-01 is not in 2026"),
        ("years: {2026: {holidays: [2026-10-07..2026-10-01]}}", "c.yaml:1:27: years.2026.holidays[0]: the run 2026-10-07..2026-10-01 ends before it starts"),
        ("years: {2026: {workdays: [2026-10-09]}}", "c.yaml:1:27: years.2026.workdays[0]: 2026-10-09 is already a working weekday"),
        ("years: {2026: {holidays: [2026-10-10], workdays: [2026-10-10]}}", "c.yaml:1:1: 2026-10-10 is listed both as a holiday and as an adjusted working day"),
        ("years: {26: {}}", "c.yaml:1:13: years.26: \"26\" is not a year"),
        ("close_of_business: 5pm\nyears: {2026: {}}", "c.yaml:1:20: close_of_business: close_of_business must be HH:MM"),
        ("working_weekdays: [mon, funday]\nyears: {2026: {}}", "c.yaml:1:25: working_weekdays[1]: unknown weekday \"funday\""),
        ("years: {2026: {holidayz: []}}", "c.yaml:1:16: years.2026: unknown key \"holidayz\""),
    ])
    func refusesBadCalendarsWithFileLineAndReason(yaml: String, expected: String) {
        do {
            _ = try CalendarLoader.parse(yaml, file: "c.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(expected), "got: \(error.description)")
        }
    }
}
