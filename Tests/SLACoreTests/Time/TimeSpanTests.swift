import Testing
@testable import SLACore

@Suite struct TimeSpanTests {
    @Test(arguments: [
        ("45m", Int64(2_700_000)), ("1h30m", 5_400_000), ("7d", 604_800_000), ("-1d", -86_400_000),
        ("0s", 0), ("250ms", 250), ("2h", 7_200_000), (" 5m ", 300_000),
    ])
    func parsesPolicyNotation(text: String, millis: Int64) {
        #expect(TimeSpan.parse(text)?.milliseconds == millis)
    }

    @Test(arguments: ["", "5", "m", "5 minutes", "5min", "1.5h", "--5m", "5m-", "99999999999999999d"])
    func refusesOtherText(text: String) {
        #expect(TimeSpan.parse(text) == nil)
    }

    @Test func printsWhatItParses() {
        for text in ["1h30m", "7d", "-15m", "1d2h3m4s5ms", "0s"] {
            #expect(TimeSpan.parse(text)!.description == text)
        }
    }

    @Test func parsesLimits() {
        #expect(SLAAmount.parse("5wd") == .workingDays(5))
        #expect(SLAAmount.parse("45m") == .span(.minutes(45)))
        #expect(SLAAmount.parse("0wd") == nil)
        #expect(SLAAmount.parse("0m") == nil)
        #expect(SLAAmount.parse("-5m") == nil)
        #expect(SLAAmount.parse("5 wd") == nil)
    }
}
