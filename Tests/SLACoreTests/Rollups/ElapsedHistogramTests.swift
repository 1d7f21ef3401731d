import Testing
@testable import SLACore

@Suite struct ElapsedHistogramTests {
    @Test func everyValueLandsInABucketWithinOneHundredAndTwentyEighthOfIt() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<100_000 {
            let v = Int64.random(in: 0...(1 << 36), using: &rng) >> Int64.random(in: 0...36, using: &rng)
            let back = ElapsedHistogram.value(of: ElapsedHistogram.bucket(of: v))
            #expect(abs(back - Double(v)) <= Double(v) / 128 + 0.5, "\(v) → \(back)")
        }
    }

    @Test func removingWhatWasAddedLeavesItEmptyAndMergingAdds() {
        var h = ElapsedHistogram(), other = ElapsedHistogram()
        for s in [3, 70, 70, 4000, 86_400] as [Int64] { h.record(.seconds(s)); other.record(.seconds(s)) }
        #expect(h.quantile(0.5) == 70 && h.quantile(0) == 3)
        h.merge(other)
        #expect(h.count == 10)
        for s in [3, 70, 70, 4000, 86_400] as [Int64] { h.record(.seconds(s), times: -2) }
        #expect(h == ElapsedHistogram() && h.quantile(0.5) == nil)
    }
}
