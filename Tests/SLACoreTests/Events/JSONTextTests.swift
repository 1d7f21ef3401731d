import Foundation
import Testing
@testable import SLACore

@Suite struct JSONTextTests {
    @Test func quotesEscapeExactlyWhatRFC8259Requires() {
        #expect(JSONText.quoted("plain") == #""plain""#)
        #expect(JSONText.quoted(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(JSONText.quoted("\n\r\t\u{0001}\u{001F}") == #""\n\r\t\u0001\u001f""#)
        // DEL, multi-byte UTF-8 and the line separators are legal in a JSON string as they are.
        #expect(JSONText.quoted("\u{7F}工单😀\u{2028}") == "\"\u{7F}工单😀\u{2028}\"")
        #expect(JSONText.quoted("") == #""""#)
    }

    @Test func everyStringReadsBackUnchanged() throws {
        var rng = SplitMix64(seed: 7)
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{0000}", "\u{0008}", "\u{001F}", " ", "工", "😀", "é", "\u{2028}"]
        for _ in 0..<500 {
            let s = String((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            var j = JSONText()
            j.add("k", s)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(j.bytes())) as? [String: Any])
            #expect(object["k"] as? String == s)
        }
    }

    @Test func sharesHaveAtMostThreeFractionDigitsAndNoTrailingZeros() {
        // Each expected text worked out by hand: rounded to the thousandth, zeros at the end dropped.
        let cases: [(Double, String)] = [(0.917, "0.917"), (11.0 / 12.0, "0.917"), (0.8, "0.8"), (0.25, "0.25"), (1, "1"), (0, "0"),
                                         (2710.5, "2710.5"), (0.0005, "0.001"), (0.0004, "0"), (0.05, "0.05"), (0.101, "0.101"),
                                         (-1.5, "-1.5"), (-0.25, "-0.25"), (-0.0004, "-0"), (99.9996, "100"), (12345678.9, "12345678.9")]
        for (v, text) in cases {
            var j = JSONText()
            j.add("v", v)
            #expect(j.text == "{\"v\":\(text)}", "\(v)")
            #expect(String(format3: v) == text, "\(v)")
        }
    }

    @Test func writesMembersInOrderWithEveryType() throws {
        var j = JSONText()
        j.add("s", "x")
        j.add("none", nil as String?)
        j.add("i", Int64.min)
        j.add("j", Int64(0))
        j.add("k", Int64.max)
        j.add("d", 2.5)
        j.add("b", false)
        j.add("t", Timestamp(milliseconds: 1_795_306_500_250), offsetSeconds: 28_800)
        j.add("a", ["p", "q\""])
        j.add("empty", [String]())
        #expect(j.text == #"{"s":"x","i":-9223372036854775808,"j":0,"k":9223372036854775807,"d":2.5,"b":false,"t":"2026-11-22T08:15:00.250+08:00","a":["p","q\""]}"#)
        #expect(JSONText().text == "{}")
    }
}
