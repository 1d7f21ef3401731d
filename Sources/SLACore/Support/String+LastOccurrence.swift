// Finding the last occurrence of an ASCII marker in a string, on its UTF-8 bytes.

extension String {
    /// Where the last occurrence of `marker` (ASCII) starts, or nil.
    ///
    /// Why not Foundation's `range(of:options: .backwards)`: on Linux it bridges the string to an
    /// `NSString` (UTF-16) on every call, and outcome ids are searched this way for every outcome
    /// the rollup stage counts. The marker being ASCII, a match starts on a character boundary, so
    /// the index slices the string as Foundation's would.
    func lastOccurrence(of marker: StaticString) -> String.Index? {
        precondition(marker.isASCII, "the marker is ASCII")
        let m = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        guard let first = m.first else { return nil }
        let bytes = utf8
        var i = bytes.endIndex
        while i != bytes.startIndex {
            i = bytes.index(before: i)
            guard bytes[i] == first else { continue }
            var j = i, k = 0
            while k < m.count, j != bytes.endIndex, bytes[j] == m[k] { j = bytes.index(after: j); k += 1 }
            if k == m.count { return i }
        }
        return nil
    }
}
