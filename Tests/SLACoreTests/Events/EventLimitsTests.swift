import Testing
@testable import SLACore

/// Every field the daemon copies into its records has a maximum, checked at decode, and every
/// instant must lie in the years the output format and the calendar can hold. Lengths and
/// instants here are written out by hand, not read from the limits under test.
@Suite struct EventLimitsTests {
    private func event(_ extra: String, id: String = "e1", ticket: String = "T1", at: String = "2026-11-22T08:15:00+08:00") -> [UInt8] {
        Array(#"{"event_id":"\#(id)","ticket_id":"\#(ticket)","kind":"fault_repair","action":"created","occurred_at":"\#(at)"\#(extra)}"#.utf8)
    }

    private func refusal(_ bytes: [UInt8]) -> String? {
        do { _ = try EventDecoder.ticket(bytes); return nil } catch { return error.description }
    }

    @Test func theNineHundredNinetyNineKilobyteEventOfTheProbeIsRefusedNamingTheFieldAndItsLength() {
        // The probe: a 499 900-character unit and agent, 999 950 bytes in all.
        let big = String(repeating: "u", count: 499_900)
        let bytes = event(#","unit":"\#(big)","agent":"\#(big)""#)
        #expect(bytes.count < 1_000_000)
        #expect(refusal(bytes) == "unit: 499900 bytes long; at most 128 are accepted")
    }

    @Test(arguments: [
        ("unit", 128), ("agent", 128), ("feeder", 128), ("area", 128),
    ])
    func aNameOf128BytesIsTakenAnd129Refused(field: String, max: Int) {
        #expect(refusal(event(#","\#(field)":"\#(String(repeating: "x", count: 128))""#)) == nil)
        #expect(refusal(event(#","\#(field)":"\#(String(repeating: "x", count: 129))""#)) == "\(field): 129 bytes long; at most 128 are accepted")
    }

    @Test func lengthsCountUTF8Bytes() {
        // 43 CJK characters are 129 bytes.
        let unit = String(repeating: "供", count: 43)
        #expect(refusal(event(#","unit":"\#(unit)""#)) == "unit: 129 bytes long; at most 128 are accepted")
    }

    @Test func idsHaveTheirOwnLimits() {
        #expect(refusal(event("", id: String(repeating: "e", count: 200))) == nil)
        #expect(refusal(event("", id: String(repeating: "e", count: 201))) == "event_id: 201 bytes long; at most 200 are accepted")
        #expect(refusal(event("", ticket: String(repeating: "t", count: 128))) == nil)
        #expect(refusal(event("", ticket: String(repeating: "t", count: 129))) == "ticket_id: 129 bytes long; at most 128 are accepted")
    }

    @Test func outageListsAndTextsAreBounded() throws {
        func outage(_ extra: String) -> String? {
            let s = #"{"event_id":"o1","outage_id":"O1","kind":"fault","action":"updated","occurred_at":"2026-11-22T08:15:00+08:00"\#(extra)}"#
            do { _ = try EventDecoder.outage(Array(s.utf8)); return nil } catch { return error.description }
        }
        let list = { (n: Int) in "[" + (0..<n).map { "\"F\($0)\"" }.joined(separator: ",") + "]" }
        #expect(outage(#","feeders":\#(list(256))"#) == nil)
        #expect(outage(#","feeders":\#(list(257))"#) == "feeders: 257 entries; at most 256 are accepted")
        #expect(outage(#","areas":\#(list(257))"#) == "areas: 257 entries; at most 256 are accepted")
        #expect(outage(#","key_customers":["\#(String(repeating: "k", count: 129))"]"#) == "key_customers[0]: 129 bytes long; at most 128 are accepted")
        #expect(outage(#","cause":"\#(String(repeating: "c", count: 2_000))""#) == nil)
        #expect(outage(#","cause":"\#(String(repeating: "c", count: 2_001))""#) == "cause: 2001 bytes long; at most 2000 are accepted")
        // The probe's 930 KB feeder list.
        let huge = "[" + (0..<35_000).map { "\"FEEDER-LINE-NUMBER-\($0)\"" }.joined(separator: ",") + "]"
        #expect(huge.utf8.count > 900_000)
        #expect(outage(#","feeders":\#(huge)"#) == "feeders: 35000 entries; at most 256 are accepted")
    }

    @Test(arguments: [
        ("0001-01-01T08:05:43+08:00", "too early"),
        ("1969-12-31T23:59:59Z", "too early"),
        ("1970-06-01T00:00:00Z", "too early"),
        ("9997-01-01T00:00:00Z", "too late"),
        ("9999-12-31T23:59:59Z", "too late"),
    ])
    func instantsOutsideTheAcceptedYearsAreRefusedWithTheReason(at: String, why: String) {
        #expect(refusal(event("", at: at)) == #"occurred_at: "\#(at)" is \#(why) (accepted: years 1971 to 9996, UTC)"#)
    }

    @Test(arguments: ["1971-01-01T00:00:00Z", "1971-01-01T08:00:00+08:00", "9996-12-31T23:59:59.999Z", "2026-11-22T08:15:00+08:00"])
    func instantsInsideTheAcceptedYearsAreTaken(at: String) {
        #expect(refusal(event("", at: at)) == nil)
    }

    @Test func otherTimeFieldsAreBoundedToo() {
        let s = #"{"event_id":"o1","outage_id":"O1","kind":"planned","action":"updated","occurred_at":"2026-11-22T08:15:00+08:00","start_at":"1960-01-01T00:00:00Z"}"#
        #expect(throws: EventRejection(field: "start_at", #""1960-01-01T00:00:00Z" is too early (accepted: years 1971 to 9996, UTC)"#)) {
            try EventDecoder.outage(Array(s.utf8))
        }
    }

    @Test func anOffsetThatIsNotWholeMinutesIsWrittenInUTCNamingTheExactInstant() {
        // Asia/Shanghai's local mean time was +08:05:43; 1900-06-01T00:00:00Z written at it.
        let t = Timestamp(milliseconds: -2_195_942_400_000)
        #expect(RFC3339.format(t, offsetSeconds: 8 * 3600 + 5 * 60 + 43) == "1900-06-01T00:00:00Z")
        #expect(RFC3339.format(t, offsetSeconds: 8 * 3600) == "1900-06-01T08:00:00+08:00")
    }

    @Test func theLastDeadlineOfTheAcceptedYearsStillHasAFourDigitYear() {
        // 9996-12-31T23:59:59Z plus 1 094 days (three years less the day a zone's offset may
        // add), more than a 366-working-day limit (about 540 days with weekends and holidays)
        // and an escalation 366 days after it.
        let last = Timestamp(milliseconds: 253_307_692_799_000)
        let far = last.adding(.days(1_094))
        #expect(RFC3339.format(far, offsetSeconds: 8 * 3600).hasPrefix("9999-"))
    }
}
