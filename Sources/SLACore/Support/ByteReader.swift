// Reads what ByteWriter wrote, refusing truncated or malformed input.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why stored state could not be read back.
public struct StateDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, and where.
    public var reason: String
    public var description: String { "stored state unreadable: \(reason)" }
}

/// A cursor over stored bytes.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A cursor at `offset` of `bytes` (a record read from inside a larger buffer, without copying it).
    init(_ bytes: [UInt8], from offset: Int) {
        precondition(offset >= 0 && offset <= bytes.count, "offset \(offset) outside \(bytes.count) bytes")
        self.bytes = bytes
        self.offset = offset
    }

    var atEnd: Bool { offset == bytes.count }

    private func fail(_ why: String) -> StateDecodingError { StateDecodingError(reason: "\(why) at byte \(offset)") }

    mutating func byte() throws(StateDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw fail("truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(StateDecodingError) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw fail("varint too long") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    mutating func signed() throws(StateDecodingError) -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func fixed64() throws(StateDecodingError) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(try byte()) << (8 * UInt64(k)) }
        return v
    }

    mutating func string() throws(StateDecodingError) -> String {
        let n = try varint()
        guard n <= UInt64(bytes.count - offset) else { throw fail("string longer than the data") }
        let range = offset..<(offset + Int(n))
        // Decoded through the specialised buffer path and checked by comparing the bytes back
        // (invalid UTF-8 is repaired, so it would differ): `String(validating:as:)` looked its
        // generic metadata up for every string, an eighth of a restore's time. The comparison
        // is one memcmp over the string's own UTF-8: comparing element by element through the
        // UTF-8 view was a quarter of decoding a state.
        let s = bytes.withUnsafeBufferPointer { buffer -> String? in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            let s = String(decoding: slice, as: UTF8.self)
            let same = s.utf8.withContiguousStorageIfAvailable { own in
                own.count == slice.count && (slice.isEmpty || memcmp(own.baseAddress!, slice.baseAddress!, slice.count) == 0)
            } ?? s.utf8.elementsEqual(slice)
            return same ? s : nil
        }
        guard let s else { throw fail("string is not UTF-8") }
        offset += Int(n)
        return s
    }

    /// Bytes written by `ByteWriter.block`.
    mutating func block() throws(StateDecodingError) -> [UInt8] {
        let n = try varint()
        guard n <= UInt64(bytes.count - offset) else { throw fail("block longer than the data") }
        defer { offset += Int(n) }
        return Array(bytes[offset..<(offset + Int(n))])
    }

    /// A string that must be a raw value of `E`.
    mutating func value<E: RawRepresentable>(_: E.Type) throws(StateDecodingError) -> E where E.RawValue == String {
        let s = try string()
        guard let e = E(rawValue: s) else { throw fail("unknown value \"\(s)\"") }
        return e
    }
}
