import Testing
@testable import SLACore

/// Damaged policy and calendar files never crash the loaders: each is refused with a located
/// problem or, when the damage is harmless, accepted.
@Suite struct PolicyFuzzTests {
    private func mutations(of text: String, seed: UInt64, count: Int) -> [String] {
        var rng = SeededGenerator(seed: seed)
        let bytes = Array(text.utf8)
        let alphabet = Array(":-[]{},#&*!|>'\"%@` \n\t0123456789abcdefgh.".utf8)
        return (0..<count).map { _ in
            var b = bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: b[i] = alphabet.randomElement(using: &rng)!
                case 1: b.remove(at: i)
                case 2: b.insert(alphabet.randomElement(using: &rng)!, at: i)
                default:  // duplicate a line: repeated keys, repeated stages
                    let lineStart = b[..<i].lastIndex(of: 10).map { $0 + 1 } ?? 0
                    let lineEnd = b[i...].firstIndex(of: 10) ?? b.count
                    b.insert(contentsOf: b[lineStart..<lineEnd] + [10], at: lineStart)
                }
            }
            return String(decoding: b, as: UTF8.self)
        }
    }

    /// Loads 1 500 damaged copies of a shipped file: each is accepted or refused with its place.
    private func survives(_ path: String, seed: UInt64, _ load: (String) throws(FileProblem) -> Void) {
        var refused = 0
        for text in mutations(of: Fixtures.text(path), seed: seed, count: 1_500) {
            do { try load(text) } catch {
                refused += 1
                #expect(error.file == "f.yaml" && !error.reason.isEmpty)
            }
        }
        #expect(refused > 100)  // the mutations do damage
    }

    @Test func damagedPoliciesAreRefusedWithAPlaceOrAccepted() {
        survives("policy/95598.yaml", seed: 3) { (t) throws(FileProblem) in _ = try PolicyLoader.parse(t, file: "f.yaml") }
    }

    @Test func damagedCalendarsAreRefusedWithAPlaceOrAccepted() {
        survives("calendar/cn-mainland.yaml", seed: 5) { (t) throws(FileProblem) in _ = try CalendarLoader.parse(t, file: "f.yaml") }
    }
}
