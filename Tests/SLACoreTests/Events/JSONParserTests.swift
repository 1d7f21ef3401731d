import Testing
@testable import SLACore

@Suite struct JSONParserTests {
    private func parse(_ s: String) throws -> JSONValue { try JSONParser.parse(Array(s.utf8)) }

    @Test func parsesEveryValueType() throws {
        let v = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00", "c": {}} "#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(o["b"] == .string("x\"\\/\né😀"))
        #expect(o["c"] == .object([:]))
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "01", "-", "1.", "1e", "tru", "nul",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "{} {}", "{'a':1}", "\"a\tb\"",
    ])
    func refusesMalformedText(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8InsideStrings() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func refusesInvalidUTF8WithAndWithoutEscapesInTheSameString() {
        // The fast path (no escapes) and the escaped path each validate what they copy.
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(#""é"#.utf8) + [0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(#""\n"#.utf8) + [0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0x61, 0xFF, 0x5C, 0x6E, 0x22]) }
    }

    @Test func keepsATopLevelObjectsMembersInOrderAndReadsTheLastRepeat() throws {
        let text = #" {"b": 1, "a": {"x": "y"}, "b": "two", "工": "单"} "#
        guard case .object(let m) = try JSONParser.parseDocument(Array(text.utf8)) else { Issue.record("not an object"); return }
        #expect(m.names == ["b", "a", "b", "工"])
        #expect(m["b"] == .string("two"))
        #expect(m["a"] == .object(["x": .string("y")]))
        #expect(m["工"] == .string("单"))
        #expect(m["missing"] == nil)
        // The dictionary form agrees member by member.
        guard case .object(let o) = try parse(text) else { Issue.record("not an object"); return }
        for name in m.names { #expect(o[name] == m[name]) }
        #expect(try JSONParser.parseDocument(Array(" [1] ".utf8)) == .other(.array([.number("1")])))
        #expect(throws: JSONParseError.self) { try JSONParser.parseDocument(Array("{\"a\":1} x".utf8)) }
    }

    @Test func boundsNestingDepth() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(ok)
    }
}
