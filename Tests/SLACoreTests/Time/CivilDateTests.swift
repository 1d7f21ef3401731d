import Testing
@testable import SLACore

@Suite struct CivilDateTests {
    @Test func convertsToAndFromEpochDays() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(CivilDate(year: 2026, month: 11, day: 22)!.daysSinceEpoch == 20_779)
        for days in stride(from: -719_000, to: 2_900_000, by: 997) {
            let d = CivilDate(daysSinceEpoch: days)
            #expect(d.daysSinceEpoch == days)
            #expect(CivilDate(year: d.year, month: d.month, day: d.day) == d)
        }
    }

    @Test func knowsWeekdaysAndLeapYears() {
        #expect(CivilDate(year: 2026, month: 11, day: 22)!.isoWeekday == 7)  // a Sunday
        #expect(CivilDate(year: 2026, month: 10, day: 10)!.isoWeekday == 6)  // the adjusted Saturday
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.isoWeekday == 4)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2026, month: 4, day: 31) == nil)
    }

    @Test func parsesOnlyWholeDates() {
        #expect(CivilDate.parse("2026-10-01") == CivilDate(year: 2026, month: 10, day: 1))
        #expect(CivilDate.parse("2026-10-1") == nil)
        #expect(CivilDate.parse("2026-13-01") == nil)
        #expect(CivilDate.parse("2026/10/01") == nil)
        #expect(CivilDate(year: 2026, month: 1, day: 4)!.description == "2026-01-04")
    }
}
