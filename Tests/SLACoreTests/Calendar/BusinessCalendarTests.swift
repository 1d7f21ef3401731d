import Foundation
import Testing
@testable import SLACore

@Suite struct BusinessCalendarTests {
    let cal = Fixtures.calendar
    private func d(_ s: String) -> CivilDate { CivilDate.parse(s)! }
    private func deadline(_ n: Int, after local: String) throws -> String {
        cal.format(try cal.deadline(workingDays: n, after: Fixtures.t(local)))
    }

    @Test func knowsHolidaysWeekendsAndAdjustedWorkdays() throws {
        #expect(try cal.isWorkingDay(d("2026-11-20")))   // Friday
        #expect(try !cal.isWorkingDay(d("2026-11-21")))  // Saturday
        #expect(try !cal.isWorkingDay(d("2026-10-05")))  // National Day, a Monday
        #expect(try cal.isWorkingDay(d("2026-10-10")))   // 调休 Saturday
        #expect(try cal.isWorkingDay(d("2026-01-04")))   // 调休 Sunday
        #expect(try !cal.isWorkingDay(d("2025-01-29")))  // Spring Festival
        #expect(try cal.isWorkingDay(d("2024-02-18")))   // 调休 Sunday
    }

    @Test(arguments: [
        // (limit, accepted at, deadline) — the acceptance day is not counted.
        (5, "2026-11-20T10:00", "2026-11-28T00:00:00+08:00"),  // Fri: Mon..Fri next week
        (1, "2026-11-20T23:59", "2026-11-24T00:00:00+08:00"),  // Fri late: Monday is day 1
        (5, "2026-09-30T10:00", "2026-10-14T00:00:00+08:00"),  // holiday run, 10-10 worked
        (3, "2026-09-30T16:00", "2026-10-11T00:00:00+08:00"),  // lands on the 调休 Saturday
        (1, "2026-09-30T00:00", "2026-10-09T00:00:00+08:00"),  // whole Golden Week skipped
    ])
    func countsWorkingDaysTheDefaultWay(n: Int, accepted: String, expected: String) throws {
        #expect(try deadline(n, after: accepted) == expected)
    }

    @Test func refusesToCountIntoAYearItDoesNotCover() {
        #expect(throws: CalendarGap(year: 2027)) { try cal.deadline(workingDays: 1, after: Fixtures.t("2026-12-31T09:00")) }
        // 12-28 (Mon) + 3 working days ends on 12-31: still inside 2026, so fine.
        #expect(throws: Never.self) { try cal.deadline(workingDays: 3, after: Fixtures.t("2026-12-28T09:00")) }
    }

    @Test func countsAcrossAYearEndTheCalendarCovers() throws {
        // 2025-12-31 (Wed): 2026-01-01..03 off, 01-04 (Sun) worked, 01-05 Mon.
        #expect(try deadline(1, after: "2025-12-31T12:00") == "2026-01-05T00:00:00+08:00")
        #expect(try deadline(2, after: "2025-12-31T12:00") == "2026-01-06T00:00:00+08:00")
        #expect(try deadline(1, after: "2025-12-30T12:00") == "2026-01-01T00:00:00+08:00")  // end of 12-31
    }

    @Test func aDeadlineNeverLandsOnAHoliday() throws {
        // Spring Festival 2026: 02-15..02-23 off, 02-14 (Sat) worked.
        #expect(try deadline(1, after: "2026-02-13T09:00") == "2026-02-15T00:00:00+08:00")  // end of the 调休 Sat 02-14
        #expect(try deadline(2, after: "2026-02-13T09:00") == "2026-02-25T00:00:00+08:00")  // next is Tue 02-24
    }

    @Test func honoursCloseOfBusiness() throws {
        let text = Fixtures.text("calendar/cn-mainland.yaml").replacingOccurrences(of: "close_of_business: none", with: "close_of_business: \"17:30\"")
        let c = try CalendarLoader.parse(text, file: "c.yaml")
        let t = try c.deadline(workingDays: 5, after: Fixtures.t("2026-09-30T10:00"))
        #expect(c.format(t) == "2026-10-13T17:30:00+08:00")
    }

    @Test func refusesUncoveredYearsNamingThem() {
        #expect(throws: CalendarGap(year: 2023)) { try cal.isWorkingDay(d("2023-12-29")) }
        #expect(CalendarGap(year: 2027).description.contains("does not cover 2027"))
    }

    @Test func mapsInstantsToLocalDates() {
        #expect(cal.localDate(of: Fixtures.t("2026-11-22T00:30")) == d("2026-11-22"))
        #expect(cal.localDate(of: RFC3339.parse("2026-11-21T16:30:00Z")!.0) == d("2026-11-22"))
        #expect(cal.instant(of: d("2026-11-22"), secondsAfterMidnight: 0) == Fixtures.t("2026-11-22T00:00"))
    }

    @Test func handlesAZoneWithDaylightSaving() throws {
        let c = BusinessCalendar(zone: TimeZone(identifier: "Europe/Berlin")!, coveredYears: [2026])
        // 2026-03-27 is a Friday; the clocks go forward on Sunday 03-29.
        let t = try c.deadline(workingDays: 1, after: RFC3339.parse("2026-03-27T10:00:00+01:00")!.0)
        #expect(c.format(t) == "2026-03-31T00:00:00+02:00")
    }
}
