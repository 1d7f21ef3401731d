// Stage times as a log-linear histogram: mergeable, subtractable, small when sparse.

/// A histogram of stage times in whole seconds with a relative error below 1/128.
///
/// Values below 64 s have their own bucket; above, each power of two is split into 64
/// buckets (the scheme of HdrHistogram with two significant binary digits). Buckets are
/// kept sparse, so a rollup cell that saw ten stage ends holds ten entries at most. Counts
/// can be removed again, which is what lets a corrected verdict leave its old window.
public struct ElapsedHistogram: Sendable, Equatable {
    /// Count per bucket index.
    private(set) var buckets: [Int32: Int64] = [:]
    /// Buckets that hold a count.
    var bucketCount: Int { buckets.count }
    /// Values counted.
    public private(set) var count: Int64 = 0

    /// An empty histogram.
    public init() {}

    static let subBuckets: Int64 = 64
    /// Largest value held exactly enough: about 2^40 s, far beyond any stage.
    static let maxSeconds: Int64 = 1 << 40

    static func bucket(of seconds: Int64) -> Int32 {
        let v = min(max(seconds, 0), maxSeconds)
        guard v >= subBuckets else { return Int32(v) }
        let e = Int64(64 - v.leadingZeroBitCount) - 7  // v >> e lies in 64...127
        return Int32(subBuckets + e * subBuckets + ((v >> e) - subBuckets))
    }

    /// The middle of a bucket's range, in seconds.
    static func value(of bucket: Int32) -> Double {
        let b = Int64(bucket)
        guard b >= subBuckets else { return Double(b) }
        let e = (b - subBuckets) / subBuckets
        let low = ((b - subBuckets) % subBuckets + subBuckets) << e
        return Double(low) + Double((Int64(1) << e) - 1) / 2
    }

    /// Adds (`times` > 0) or removes (`times` < 0) a stage time.
    public mutating func record(_ elapsed: TimeSpan, times: Int64 = 1) {
        let b = Self.bucket(of: elapsed.milliseconds / 1000)
        let n = (buckets[b] ?? 0) + times
        buckets[b] = n == 0 ? nil : n
        count += times
    }

    /// The value at quantile `q` (0...1) by nearest rank, nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = max(1, Int64((q * Double(count)).rounded(.up)))
        var seen: Int64 = 0
        for b in buckets.keys.sorted() {
            seen += buckets[b]!
            if seen >= rank { return Self.value(of: b) }
        }
        return buckets.keys.max().map(Self.value(of:))
    }

    /// The values at two quantiles (each as ``quantile(_:)`` gives it), with the buckets sorted once:
    /// a rollup record carries the median and the 90th percentile.
    public func quantiles(_ q1: Double, _ q2: Double) -> (Double?, Double?) {
        guard count > 0 else { return (nil, nil) }
        let sorted = buckets.sorted { $0.key < $1.key }
        func at(_ q: Double) -> Double? {
            let rank = max(1, Int64((q * Double(count)).rounded(.up)))
            var seen: Int64 = 0
            for (b, n) in sorted {
                seen += n
                if seen >= rank { return Self.value(of: b) }
            }
            return sorted.last.map { Self.value(of: $0.key) }
        }
        return (at(q1), at(q2))
    }

    /// Adds another histogram's counts (rollups of rollups: days into a month at query time).
    public mutating func merge(_ other: ElapsedHistogram) {
        for (b, n) in other.buckets {
            let m = (buckets[b] ?? 0) + n
            buckets[b] = m == 0 ? nil : m
        }
        count += other.count
    }

    func encode(into w: inout ByteWriter) {
        w.varint(UInt64(buckets.count))
        for b in buckets.keys.sorted() { w.varint(UInt64(b)); w.signed(buckets[b]!) }
    }

    static func decode(_ r: inout ByteReader) throws(StateDecodingError) -> ElapsedHistogram {
        var h = ElapsedHistogram()
        let n = try r.varint()
        guard n <= 4096 else { throw StateDecodingError(reason: "histogram with \(n) buckets") }
        for _ in 0..<n {
            let b = try r.varint()
            guard b <= UInt64(Int32.max) else { throw StateDecodingError(reason: "histogram bucket \(b) out of range") }
            let c = try r.signed()
            h.buckets[Int32(b)] = c
            h.count += c
        }
        return h
    }
}
