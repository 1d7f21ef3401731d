import Testing
@testable import SLACore

@Suite struct ByteReaderTests {
    @Test func readsLengthPrefixedUTF8Strings() throws {
        var r = ByteReader([2, 0x54, 0x31, 6] + Array("供电所".utf8.prefix(6)) + [0])
        #expect(try r.string() == "T1")
        #expect(try r.string() == "供电")
        #expect(try r.string() == "")
        #expect(r.atEnd)
        let long = "95598-供电所-城区-抢修班-0001"  // longer than a string kept inline
        var l = ByteReader([UInt8(long.utf8.count)] + Array(long.utf8))
        #expect(try l.string() == long)
        #expect(l.atEnd)
    }

    @Test(arguments: [
        [UInt8]([2, 0xC3, 0x28]),        // a lead byte followed by no continuation
        [2, 0xE4, 0xBE],                  // a three-byte sequence cut short
        [1, 0xFF],                        // a byte UTF-8 never uses
        [2, 0xC0, 0x80],                  // an overlong NUL
        [3, 0xED, 0xA0, 0x80],            // a surrogate (repaired to as many bytes)
        [17] + Array("ABCDEFGHIJKLMNOP".utf8) + [0xFF],  // too long for an inline string
    ])
    func refusesBytesThatAreNotUTF8(bytes: [UInt8]) {
        var r = ByteReader(bytes)
        #expect(throws: StateDecodingError(reason: "string is not UTF-8 at byte 1")) { try r.string() }
    }

    @Test func refusesAStringLongerThanTheData() {
        var r = ByteReader([5, 0x41])
        #expect(throws: StateDecodingError(reason: "string longer than the data at byte 1")) { try r.string() }
    }
}
