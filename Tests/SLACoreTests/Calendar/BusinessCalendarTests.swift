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
        let cal = Fixtures.calendar2026
        #expect(throws: CalendarGap(year: 2027)) { try cal.deadline(workingDays: 1, after: Fixtures.t("2026-12-31T09:00")) }
        // 12-28 (Mon) + 3 working days ends on 12-31: still inside 2026, so fine.
        #expect(throws: Never.self) { try cal.deadline(workingDays: 3, after: Fixtures.t("2026-12-28T09:00")) }
        #expect(throws: CalendarGap(year: 2028)) { try Fixtures.calendar.deadline(workingDays: 1, after: Fixtures.t("2027-12-31T09:00")) }
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

/// Working time, coverage and provisional years, worked by hand.
@Suite struct WorkingTimeTests {
    @Test func aShareOfWorkingDaysIsCountedInWorkingTime() throws {
        let cal = Fixtures.calendar
        // 5 working days after Monday 11-16 10:00: 11-17 … 11-20, 11-23. 80 % = 4 days: the end of 11-20.
        #expect(try cal.instant(atWorkingShare: 0.8, workingDays: 5, after: Fixtures.t("2026-11-16T10:00")) == Fixtures.t("2026-11-21T00:00"))
        // 3 after 09-30 16:00: 10-08, 10-09, 10-10 (adjusted Saturday). Half = 1.5 days: 10-09 at noon.
        #expect(try cal.instant(atWorkingShare: 0.5, workingDays: 3, after: Fixtures.t("2026-09-30T16:00")) == Fixtures.t("2026-10-09T12:00"))
    }

    @Test func openingHoursKeepAWarningInsideTheWorkingDay() throws {
        let text = Fixtures.text("calendar/cn-mainland.yaml")
            .replacingOccurrences(of: "close_of_business: none ", with: "open_of_business: \"08:30\"\nclose_of_business: \"17:30\" ")
        let cal = try CalendarLoader.parse(text, file: "hours.yaml")
        #expect(cal.openOfBusiness == 8 * 3600 + 1800 && cal.closeOfBusiness == 17 * 3600 + 1800)
        // 9 working hours a day. 80 % of 5 days = 36 h = 4 whole days: Friday 11-20 at the close.
        #expect(try cal.instant(atWorkingShare: 0.8, workingDays: 5, after: Fixtures.t("2026-11-16T10:00")) == Fixtures.t("2026-11-20T17:30"))
        // Half of one day: 4.5 h after the opening of 11-17.
        #expect(try cal.instant(atWorkingShare: 0.5, workingDays: 1, after: Fixtures.t("2026-11-16T10:00")) == Fixtures.t("2026-11-17T13:00"))
        #expect(throws: FileProblem.self) {
            try CalendarLoader.parse("open_of_business: \"18:00\"\nclose_of_business: \"17:30\"\nyears: {2026: {}}\n", file: "x.yaml")
        }
    }

    @Test func aCountOverAProvisionalYearSaysSo() throws {
        let cal = Fixtures.calendar
        let inside = try cal.count(workingDays: 3, after: Fixtures.t("2026-12-21T10:00"))
        #expect(inside.days.map(\.description) == ["2026-12-22", "2026-12-23", "2026-12-24"] && !inside.provisional)
        let over = try cal.count(workingDays: 3, after: Fixtures.t("2026-12-30T10:00"))
        // 12-31, [01-01 元旦, weekend], 01-04, 01-05.
        #expect(over.days.map(\.description) == ["2026-12-31", "2027-01-04", "2027-01-05"] && over.provisional)
        #expect(over.deadline == Fixtures.t("2027-01-06T00:00"))
    }

    @Test func coverageIsSeenFromToday() {
        let now = Fixtures.t("2026-12-02T10:00")
        let full = CalendarCoverage(Fixtures.calendar, now: now)
        #expect(full.coveredUntil == Fixtures.t("2028-01-01T00:00") && full.officialUntil == Fixtures.t("2027-01-01T00:00"))
        #expect(full.daysLeft == 394 && full.provisionalYears == [2027])
        let short = CalendarCoverage(Fixtures.calendar2026, now: now)
        #expect(short.coveredUntil == Fixtures.t("2027-01-01T00:00") && short.daysLeft == 29 && short.provisionalYears.isEmpty)
        let past = CalendarCoverage(Fixtures.calendar2026, now: Fixtures.t("2027-01-02T10:00"))
        #expect(past.coveredUntil == nil && past.daysLeft == 0)
        #expect(past.summary(Fixtures.calendar2026) == "calendar cn-mainland-2026.11 does not cover today: working-day clocks cannot be timed")
    }

    @Test func aProvisionalYearWithAdjustedDaysIsRefused() {
        #expect(throws: FileProblem.self) {
            try CalendarLoader.parse("years: {2027: {provisional: true, workdays: [2027-02-20]}}\n", file: "x.yaml")
        }
    }
}
