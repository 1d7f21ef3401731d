import Testing
import SLACore
import SLAService

/// The board's parameters: defaults, and a reason for every bad value.
@Suite struct BoardQueryTests {
    @Test func defaultsAreChineseOverdueWithinThirtyMinutes() throws {
        let q = try BoardQuery([])
        #expect(q.language == .zh && q.state == .overdue && q.within == .minutes(30) && q.unit == nil && q.limit == 500)
        let e = try BoardQuery([("lang", "en"), ("state", "due"), ("within", "2h"), ("unit", "城东供电所"), ("limit", "10"), ("fragment", "1")])
        #expect(e.language == .en && e.state == .due && e.within == .hours(2) && e.unit == "城东供电所" && e.limit == 10)
    }

    @Test func everyBadValueIsRefusedWithItsReason() {
        let cases: [([(String, String)], String)] = [
            ([("lang", "fr")], "lang must be zh or en, not \"fr\""),
            ([("state", "late")], "state must be overdue, due or unresolved, not \"late\""),
            ([("within", "soon")], "within must be a duration from 1s to 7d (e.g. 30m, 2h), not \"soon\""),
            ([("within", "8d")], "within must be a duration from 1s to 7d (e.g. 30m, 2h), not \"8d\""),
            ([("limit", "0")], "limit must be 1 to 10000, not \"0\""),
            ([("unit", "")], "unit must be 1 to 128 bytes"),
            ([("unit", String(repeating: "x", count: 129))], "unit must be 1 to 128 bytes"),
            ([("units", "U1")], "unknown parameter \"units\" (lang, unit, state, within, limit)"),
            ([("lang", "en"), ("lang", "zh")], "lang is given twice"),
        ]
        for (params, reason) in cases {
            #expect(throws: BoardQueryError(reason)) { try BoardQuery(params) }
        }
    }
}
