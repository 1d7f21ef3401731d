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

    @Test func theBoardShowsTheVolumeRatesAndTheYearsStarsOfEachUnit() {
        // U1: two month cells (12 + 8 received, 11 + 8 handled, 10 + 6 answered) → 处理率 19/20, 答复率 16/20.
        func cell(_ stage: String, received: Int, handled: Int, answered: Int) -> [String: Any] {
            ["record": "rollup", "view": "unit", "grain": "month", "unit": "U1", "stage": stage, "met": 0, "missed": 0, "overdue": 0,
             "callbacks": 0, "closed": 0, "received": received, "handled": handled, "answered": answered]
        }
        var year = cell("volume", received: 1000, handled: 0, answered: 0)
        year["grain"] = "year"  // the year's cell is not this month's
        let board = DemoScoreboard(latest: [
            "c1": cell("volume", received: 12, handled: 11, answered: 10), "c2": cell("volume2", received: 8, handled: 8, answered: 6), "y": year,
            "s": ["record": "stars", "view": "unit", "unit": "U1", "stars": 4], "a": ["record": "stars", "view": "agent", "agent": "U1", "stars": 1],
        ])
        let u = board.units.first
        #expect(board.units.count == 1 && u?.received == 20 && u?.handled == 19 && u?.answered == 16 && u?.stars == 4)
        #expect(u?.handledRate == 0.95 && u?.answeredRate == 0.8)
        let line = board.table().split(separator: "\n").first { $0.hasPrefix("U1") }.map(String.init) ?? ""
        #expect(line.contains(" 20 ") && line.contains("95.0%") && line.contains("80.0%") && line.contains("4★"), "\(line)")
    }
}
