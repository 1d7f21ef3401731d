import Testing
@testable import SLACore

@Suite struct RollupBookTests {
    static let now = Fixtures.t("2026-12-03T00:00")

    static func book(_ rule: ScorecardRule = .standard) -> RollupBook {
        RollupBook(calendar: Fixtures.calendar, rule: rule, retention: .days(40))
    }

    static func apply(_ scenario: RollupScenario, to book: inout RollupBook) -> [RollupBook.Disposition: Int] {
        var d: [RollupBook.Disposition: Int] = [:]
        for o in scenario.stream { for v in RollupView.allCases { d[book.apply(o, view: v, now: now), default: 0] += 1 } }
        return d
    }

    /// Exact nearest-rank quantile of whole seconds.
    static func quantile(_ values: [Int64], _ q: Double) -> Double {
        let sorted = values.sorted()
        return Double(sorted[max(1, Int((q * Double(sorted.count)).rounded(.up))) - 1])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aGeneratedScenarioAddsUpToWhatTheTestComputesItself(seed: UInt64) throws {
        let scenario = RollupScenario(seed: seed, cycles: 1500)
        var book = Self.book()
        let d = Self.apply(scenario, to: &book)
        #expect(d[.corrected, default: 0] > 0 && d[.duplicate, default: 0] > 0, "the scenario has corrections and repeats: \(d)")
        var held: [String: RollupCell] = [:]
        for (k, c) in book.allCells where !c.isEmpty { held[k.text] = c }
        var expectedKeys = Set<String>()
        for view in RollupView.allCases {
            for (key, e) in scenario.expected(view) {
                expectedKeys.insert(key)
                let c = try #require(held[key], "cell \(key)")
                #expect([c.met, c.missed, c.voided, c.overdue, c.linked, c.closed, c.callbacks, c.satisfactionSum]
                        == [e.met, e.missed, e.voided, e.overdue, e.linked, e.closed, e.callbacks, e.satisfaction].map(Int64.init), "\(key)")
                #expect(c.elapsed.count == Int64(e.elapsedSeconds.count) && c.elapsedMillisecondsSum == e.elapsedMilliseconds, "\(key)")
                if !e.elapsedSeconds.isEmpty {
                    for q in [0.5, 0.9] {
                        let exact = Self.quantile(e.elapsedSeconds, q), got = try #require(c.elapsed.quantile(q))
                        #expect(abs(got - exact) <= exact / 128 + 0.5, "\(key) p\(Int(q * 100)): \(got) vs \(exact)")
                    }
                }
            }
        }
        #expect(Set(held.keys) == expectedKeys, "no cell more, none less")
    }

    @Test func scorecardsTakeTheirDeductionsFromTheMonthCells() {
        let scenario = RollupScenario(seed: 7, cycles: 800)
        var rule = ScorecardRule.standard
        rule.perStage["repair.arrival"] = .init(overdue: 2000, missed: 1000)
        var book = Self.book(rule)
        _ = Self.apply(scenario, to: &book)
        let cards = book.takeChanges().scorecards
        var expected: [String: Int64] = [:]
        for o in scenario.final where o.result == .overdue || o.result == .missed {
            let arrival = o.stage == "repair.arrival"
            let points: Int64 = o.result == .overdue ? (arrival ? 2000 : 1000) : (arrival ? 1000 : 500)
            expected["\(RollupScenario.labels(o.at)[.month]!)|\(o.unit!)", default: 0] += points
        }
        #expect(!cards.isEmpty)
        for card in cards {
            let deductions = expected["\(card.month.label)|\(card.unit)"] ?? 0
            #expect(card.deductions == deductions, "\(card.month.label) \(card.unit)")
            #expect(card.score == max(0, 100_000 - deductions))
            #expect(card.grade == (card.score >= 90_000 ? .excellent : card.score >= 70_000 ? .pass : .fail))
            #expect(card.assessed == (card.score < 90_000))
        }
        #expect(Set(cards.map { "\($0.month.label)|\($0.unit)" }).isSuperset(of: expected.keys))
    }

    @Test func aLateCorrectionTakesItsVerdictOutOfTheOldWindowAndRepublishesIt() throws {
        var book = Self.book()
        let start = Fixtures.t("2026-11-20T08:00")
        func verdict(_ result: Outcome.Result, minutes: Int64) -> Outcome {
            Outcome(outcomeId: "ticket:T1:repair.arrival@s:sla.\(result == .met ? "met" : "missed")@\(minutes)", result: result,
                    subject: SubjectID(.ticket, "T1"), kind: .faultRepair, stage: "repair.arrival", unit: "U1", agent: nil, region: .urban,
                    customerClass: nil, deadline: start.adding(.minutes(45)), at: start.adding(.minutes(minutes)),
                    elapsed: .minutes(minutes), satisfaction: nil, outageId: nil)
        }
        let met = verdict(.met, minutes: 30)
        #expect(book.apply(met, view: .unit, now: Self.now) == .applied)
        _ = book.takeChanges()
        // Days later a late event shows the crew came at 08:50 the next day... of the same cycle.
        let missed = verdict(.missed, minutes: 60 * 24 + 50)
        #expect(book.apply(missed, view: .unit, now: Self.now) == .corrected)
        #expect(book.apply(met, view: .unit, now: Self.now) == .duplicate, "a repeat of the superseded verdict is stale")
        let changes = book.takeChanges()
        let day20 = try #require(changes.cells.first { $0.key.window.label == "2026-11-20" })
        #expect(day20.cell.met == 0 && day20.cell.outcomes == 0 && day20.cell.revision == 2, "the old window is corrected and re-published")
        let day21 = try #require(changes.cells.first { $0.key.window.label == "2026-11-21" })
        #expect(day21.cell.missed == 1 && day21.cell.revision == 1)
        let month = try #require(changes.cells.first { $0.key.window.grain == .month })
        #expect(month.cell.met == 0 && month.cell.missed == 1 && month.cell.revision == 3)
        #expect(changes.scorecards.first?.deductions == 500 && changes.scorecards.first?.revision == 3)
    }

    @Test func stateWrittenByTakeChangesRestoresTheSameBook() throws {
        let scenario = RollupScenario(seed: 11, cycles: 400)
        var book = Self.book()
        var state: [String: [UInt8]?] = [:]
        for (i, o) in scenario.stream.enumerated() {
            _ = book.apply(o, view: .unit, now: Self.now)
            if i % 97 == 0 { for s in book.takeChanges().state { state[s.key] = s.value } }
        }
        for s in book.takeChanges().state { state[s.key] = s.value }
        var restored = Self.book()
        for (k, v) in state { if let v { try restored.restore(key: k, value: v) } }
        #expect(restored.allCells.map(\.key) == book.allCells.map(\.key))
        #expect(restored.allCells.map(\.cell) == book.allCells.map(\.cell))
        // The restored book knows what it counted: the whole stream again changes nothing.
        for o in scenario.stream { #expect(restored.apply(o, view: .unit, now: Self.now) == .duplicate) }
        #expect(throws: StateDecodingError.self) { try restored.restore(key: "c|x", value: [1, 2, 3]) }
    }

    @Test func outcomesOlderThanTheRetentionAreRefusedAndOldWindowsPruned() {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(2))
        let old = Outcome(outcomeId: "o1", result: .overdue, subject: SubjectID(.ticket, "T"), kind: .complaint, stage: "s", unit: "U",
                          agent: nil, region: nil, customerClass: nil, deadline: nil, at: Fixtures.t("2026-11-20T08:00"), elapsed: nil,
                          satisfaction: nil, outageId: nil)
        #expect(book.apply(old, view: .unit, now: Fixtures.t("2026-11-21T08:00")) == .applied)
        #expect(book.apply(old, view: .unit, now: Fixtures.t("2026-11-25T08:00")) == .duplicate)
        _ = book.takeChanges()
        book.prune(now: Fixtures.t("2026-11-25T08:00"))
        let pruned = book.takeChanges()
        #expect(book.slotCount == 0 && book.cellCount == 1, "the month window is still open for corrections")
        #expect(pruned.state.filter { $0.value == nil }.count == 3, "hour and day cells and the slot are deleted")
        var newer = old
        newer.outcomeId = "o2"
        #expect(book.apply(newer, view: .unit, now: Fixtures.t("2026-11-25T08:00")) == .tooLate)
    }
}
