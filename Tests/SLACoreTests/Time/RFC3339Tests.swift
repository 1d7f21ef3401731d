import Testing
@testable import SLACore

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-22T08:15:00+08:00", Int64(1_795_306_500_000), 28_800),
        ("2026-11-22T00:15:00Z", 1_795_306_500_000, 0),
        ("2026-11-22T00:15:00.250Z", 1_795_306_500_250, 0),
        ("2026-11-22t00:15:00.2z", 1_795_306_500_200, 0),
        ("2026-11-21T19:15:00.123456789-05:00", 1_795_306_500_123, -18_000),
        ("2024-02-29T12:00:00+08:00", 1_709_179_200_000, 28_800),
        ("1970-01-01T00:00:00Z", 0, 0),
    ])
    func parsesValidTimestamps(text: String, millis: Int64, offset: Int) throws {
        let (t, o) = try #require(RFC3339.parse(text))
        #expect(t.milliseconds == millis)
        #expect(o == offset)
    }

    @Test(arguments: [
        "2026-13-01T00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T08:60:00Z", "2026-11-22T08:15:60Z", "2026-11-22T08:15:00", "2026-11-22 08:15:00+0800",
        "2026-11-22T08:15:00+08", "2026-11-22T08:15:00.Z", "2026-11-22T08:15:00+25:00", "", "yesterday",
        "2026-11-22T08:15:00Zjunk", "２０２６-11-22T08:15:00Z",
    ])
    func refusesInvalidTimestamps(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsAtAnOffsetAndRoundTrips() throws {
        let t = Timestamp(milliseconds: 1_795_306_500_000)
        #expect(RFC3339.format(t, offsetSeconds: 28_800) == "2026-11-22T08:15:00+08:00")
        #expect(RFC3339.format(t, offsetSeconds: 0) == "2026-11-22T00:15:00Z")
        #expect(RFC3339.format(Timestamp(milliseconds: 1_795_306_500_007), offsetSeconds: -3600) == "2026-11-21T23:15:00.007-01:00")
        #expect(RFC3339.format(Timestamp(milliseconds: -1), offsetSeconds: 0) == "1969-12-31T23:59:59.999Z")
        for ms in stride(from: Int64(-86_400_000), to: 4_000_000_000_000, by: 97_654_321_123) {
            let text = RFC3339.format(Timestamp(milliseconds: ms), offsetSeconds: 28_800)
            #expect(RFC3339.parse(text)?.0.milliseconds == ms)
        }
    }
}
