import Testing
@testable import SLAService

/// The demo's board ranks the graded units by score, as a reporting service would.
@Suite struct DemoScoreboardTests {
    @Test func gradedUnitsAreRankedByScoreAndTiesShareARank() {
        func card(_ unit: String, _ score: Double, graded: Bool = true) -> [String: Any] {
            ["record": "scorecard", "unit": unit, "score": score, "grade": graded ? "excellent" : "insufficient_volume", "graded": graded, "assessed": false]
        }
        let board = DemoScoreboard(latest: ["a": card("A", 98.5), "b": card("B", 99), "c": card("C", 98.5), "d": card("D", 100, graded: false)])
        #expect(board.units.map { "\($0.unit) \($0.rank.map(String.init) ?? "-")" } == ["A 2", "B 1", "C 2", "D -"])
        #expect(board.table().contains("rank"))
    }
}
