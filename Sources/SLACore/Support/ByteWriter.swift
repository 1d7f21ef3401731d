// Appends primitive values to a byte buffer (LEB128 varints, length-prefixed strings).

/// A growing byte buffer for the state codec.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    /// An empty buffer.
    init() {}

    /// An empty buffer with room for `capacity` bytes (one allocation for a record of known size).
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Bytes written elsewhere, as they are.
    mutating func raw(_ b: ArraySlice<UInt8>) { bytes.append(contentsOf: b) }

    /// Bytes written elsewhere, as they are (a string's UTF-8, borrowed).
    mutating func raw(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    /// Signed values, zigzag-encoded so small negatives stay small.
    mutating func signed(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func fixed64(_ v: UInt64) { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }

    mutating func string(_ s: String) {
        varint(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    /// Bytes with their length first (a nested record).
    mutating func block(_ b: [UInt8]) {
        varint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }
}
