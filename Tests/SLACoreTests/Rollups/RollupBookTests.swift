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

    @Test func perEventScorecardsTakeTheirDeductionsFromTheMonthCells() {
        let scenario = RollupScenario(seed: 7, cycles: 800)
        var rule = ScorecardRule.standard
        rule.method = .perEvent; rule.minVolume = 0; rule.assessBelow = 90_000
        rule.perStage["repair.arrival"] = .init(overdue: 2000, missed: 1000)
        var book = Self.book(rule)
        _ = Self.apply(scenario, to: &book)
        let cards = book.takeChanges().scorecards.filter { $0.view == .unit }
        var expected: [String: Int64] = [:]
        for o in scenario.final where o.result == .overdue || o.result == .missed {
            let arrival = o.stage == "repair.arrival"
            let points: Int64 = o.result == .overdue ? (arrival ? 2000 : 1000) : (arrival ? 1000 : 500)
            expected["\(RollupScenario.labels(o.at)[.month]!)|\(o.unit!)", default: 0] += points
        }
        #expect(!cards.isEmpty)
        for card in cards {
            let deductions = expected["\(card.month.label)|\(card.owner)"] ?? 0
            #expect(card.deductions == deductions, "\(card.month.label) \(card.owner)")
            #expect(card.score == max(0, 100_000 - deductions))
            #expect(card.grade == (card.score >= 90_000 ? .excellent : card.score >= 70_000 ? .pass : .fail))
            #expect(card.assessed == (card.score < 90_000 || card.missed > 0))
        }
        #expect(Set(cards.map { "\($0.month.label)|\($0.owner)" }).isSuperset(of: expected.keys))
    }

    @Test func rateScorecardsDeductByHowFarEachStageFallsShort() throws {
        let scenario = RollupScenario(seed: 7, cycles: 800)
        var rule = ScorecardRule.standard
        rule.perStage["repair.arrival"] = { var d = rule.deduction; d.target = 0.9; d.weight = 2; return d }()
        var book = Self.book(rule)
        _ = Self.apply(scenario, to: &book)
        let cards = book.takeChanges().scorecards.filter { $0.view == .unit }
        // Computed here from the final outcomes: per month, unit and stage, met and missed.
        var tally: [String: [String: (met: Int, missed: Int)]] = [:]
        for o in scenario.final where o.result == .met || o.result == .missed {
            let k = "\(RollupScenario.labels(o.at)[.month]!)|\(o.unit!)"
            var s = tally[k, default: [:]][o.stage] ?? (0, 0)
            if o.result == .met { s.met += 1 } else { s.missed += 1 }
            tally[k, default: [:]][o.stage] = s
        }
        #expect(!cards.isEmpty)
        for card in cards {
            let stages = tally["\(card.month.label)|\(card.owner)"] ?? [:]
            var expected = 0.0
            for (stage, s) in stages {
                let target = stage == "repair.arrival" ? 0.9 : 1.0, weight = stage == "repair.arrival" ? 2.0 : 1.0
                let short = max(0, target - Double(s.met) / Double(s.met + s.missed)) * 100
                expected += min(30, short) * weight
            }
            #expect(abs(Double(card.deductions) / 1000 - expected) < 0.01, "\(card.month.label) \(card.owner): \(card.deductions) vs \(expected)")
            let verdicts = stages.values.reduce(0) { $0 + $1.met + $1.missed }
            #expect(card.graded == (verdicts >= 10))
            #expect(card.grade == (verdicts < 10 ? .insufficientVolume : card.score >= 90_000 ? .excellent : card.score >= 70_000 ? .pass : .fail))
        }
    }

    @Test func aLargeUnitAndASmallOneAreGradedOnTheirRatesNotTheirSizes() throws {
        // Large: 1 000 arrivals, 10 late (99 %); small: 10 arrivals, 2 late (80 %); tiny: 4, none late.
        var outcomes: [Outcome] = []
        let at = Fixtures.t("2026-11-20T09:00")
        for (unit, total, late) in [("Large", 1000, 10), ("Small", 10, 2), ("Tiny", 4, 0)] {
            for i in 0..<total {
                let r: Outcome.Result = i < late ? .missed : .met
                outcomes.append(Outcome(outcomeId: "ticket:\(unit)-\(i):repair.arrival@s:sla.\(r.rawValue)@e", result: r, subject: SubjectID(.ticket, "\(unit)-\(i)"),
                                        kind: .faultRepair, stage: "repair.arrival", unit: unit, agent: nil, region: .urban, customerClass: nil,
                                        deadline: at, at: at, elapsed: .minutes(30), satisfaction: nil, outageId: nil))
            }
        }
        func cards(_ method: ScorecardRule.Method) -> [String: Scorecard] {
            var rule = ScorecardRule.standard
            rule.method = method
            var book = RollupBook(calendar: Fixtures.calendar, rule: rule, retention: .days(40))
            for o in outcomes { _ = book.apply(o, view: .unit, now: Self.now) }
            return Dictionary(uniqueKeysWithValues: book.takeChanges().scorecards.map { ($0.owner, $0) })
        }
        let rate = cards(.rate)
        // By hand: 1 point below 100 % for Large, 20 for Small; Tiny has too few verdicts to grade.
        #expect(rate["Large"]?.score == 99_000 && rate["Large"]?.grade == .excellent)
        #expect(rate["Small"]?.score == 80_000 && rate["Small"]?.grade == .pass)
        #expect(rate["Tiny"]?.grade == .insufficientVolume && rate["Tiny"]?.assessed == false)
        // Both late units are on the list to assess (any missed verdict).
        #expect(rate["Large"]?.assessed == true && rate["Small"]?.assessed == true)
        // Per event, the large unit loses 5 points and the small one 1: size, not rate, decides.
        let perEvent = cards(.perEvent)
        #expect(perEvent["Large"]?.score == 95_000 && perEvent["Small"]?.score == 99_000)
        let json = String(decoding: rate["Small"]!.json(calendar: Fixtures.calendar, asOf: Self.now), as: UTF8.self)
        #expect(json.contains(#""stages":[{"stage":"repair.arrival","met":8,"missed":2,"overdue":0,"on_time_rate":0.8,"target":1,"deductions":20}]"#), "\(json)")
        #expect(json.contains(#""method":"rate""#) && json.contains(#""graded":true"#) && json.contains(#""verdicts":10"#))
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
        // One missed verdict, none met: 100 points below the target, capped at 30.
        #expect(changes.scorecards.first?.deductions == 30_000 && changes.scorecards.first?.revision == 3)
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
        #expect(restored.restore(state.compactMap { k, v in v.map { (k, $0) } }).isEmpty)
        #expect(restored.allCells.map(\.key) == book.allCells.map(\.key))
        #expect(restored.allCells.map(\.cell) == book.allCells.map(\.cell))
        // The restored book knows what it counted: the whole stream again changes nothing.
        for o in scenario.stream { #expect(restored.apply(o, view: .unit, now: Self.now) == .duplicate) }
        #expect(restored.restore([("c|x", [1, 2, 3])]).map(\.key) == ["c|x"], "a damaged record is named, not restored")
    }

    @Test func outcomesOlderThanTheRetentionAreRefusedAndOldWindowsPruned() {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(2))
        let old = Outcome(outcomeId: "o1", result: .overdue, subject: SubjectID(.ticket, "T"), kind: .complaint, stage: "s", unit: "U",
                          agent: nil, region: nil, customerClass: nil, deadline: nil, at: Fixtures.t("2026-11-20T08:00"), elapsed: nil,
                          satisfaction: nil, outageId: nil)
        #expect(book.apply(old, view: .unit, now: Fixtures.t("2026-11-21T08:00")) == .applied)
        #expect(book.apply(old, view: .unit, now: Fixtures.t("2026-11-25T08:00")) == .duplicate)
        let set = book.takeChanges().state
        book.prune(now: Fixtures.t("2026-11-25T08:00"))
        let pruned = book.takeChanges()
        #expect(book.slotCount == 0 && book.cellCount == 3, "the month, quarter and year windows are still open for corrections")
        #expect(pruned.state.isEmpty, "the set keeps the month, quarter and year; the hour and day cells and the slot are stale in it")
        // A restore prunes them again (as a partition is adopted).
        var restored = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(2))
        #expect(restored.restore(set.compactMap { k, v in v.map { (k, $0) } }).isEmpty)
        restored.prune(now: Fixtures.t("2026-11-25T08:00"))
        #expect(restored.slotCount == 0 && restored.cellCount == 3)
        var newer = old
        newer.outcomeId = "o2"
        #expect(book.apply(newer, view: .unit, now: Fixtures.t("2026-11-25T08:00")) == .tooLate)
    }

    @Test func aPruneWithNothingPastTheHorizonDropsNothingAndALaterOneStillDoes() {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(2))
        let o = Outcome(outcomeId: "o1", result: .overdue, subject: SubjectID(.ticket, "T"), kind: .complaint, stage: "s", unit: "U",
                        agent: nil, region: nil, customerClass: nil, deadline: nil, at: Fixtures.t("2026-11-20T08:00"), elapsed: nil,
                        satisfaction: nil, outageId: nil)
        #expect(book.apply(o, view: .unit, now: Fixtures.t("2026-11-20T09:00")) == .applied)
        _ = book.takeChanges()
        // Horizon 11-19 09:00: before the outcome (11-20 08:00) and every window it counts in,
        // so the prune has nothing to drop and writes nothing.
        book.prune(now: Fixtures.t("2026-11-21T09:00"))
        #expect(book.slotCount == 1 && book.cellCount == 5 && book.takeChanges().state.isEmpty)
        // Horizon 11-20 08:30: past the outcome, not past its hour (ends 11-20 09:00).
        book.prune(now: Fixtures.t("2026-11-22T08:30"))
        #expect(book.slotCount == 0 && book.cellCount == 5, "the slot (08:00) is past the horizon, its hour (ends 09:00) not")
        // Horizon 11-22 00:30: past the hour's end and the day's (11-21 00:00).
        book.prune(now: Fixtures.t("2026-11-24T00:30"))
        #expect(book.cellCount == 3)
    }

    @Test func anAgentsCellsPrunedWholeLeaveNothingForTheNextAgentToCountIn() throws {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(2))
        func outcome(_ id: String, agent: String, at: String) -> Outcome {
            Outcome(outcomeId: id, result: .met, subject: SubjectID(.ticket, "T-" + id), kind: .complaint, stage: "complaint.dispatch", unit: "U",
                    agent: agent, region: nil, customerClass: nil, deadline: nil, at: Fixtures.t(at), elapsed: .minutes(10),
                    satisfaction: nil, outageId: nil)
        }
        #expect(book.apply(outcome("o1", agent: "A1", at: "2026-11-20T08:00"), view: .agent, now: Fixtures.t("2026-11-20T09:00")) == .applied)
        // Two cells per grain (all stages, and the stage), five grains.
        #expect(book.cellCount == 10)
        // Horizon 2027-01-03 00:00: past the end of 2026, so every window of A1's outcome is gone.
        book.prune(now: Fixtures.t("2027-01-05T00:00"))
        #expect(book.cellCount == 0 && book.slotCount == 0)
        #expect(book.apply(outcome("o2", agent: "A2", at: "2027-01-04T08:00"), view: .agent, now: Fixtures.t("2027-01-05T00:00")) == .applied)
        #expect(book.cellCount == 10)
        for grain in RollupGrain.allCases {
            let w = RollupWindow.of(Fixtures.t("2027-01-04T08:00"), grain, calendar: Fixtures.calendar)
            for stage in ["", "complaint.dispatch"] {
                let cell = try #require(book.cell(RollupKey(view: .agent, window: w, owner: "A2", stage: stage)), "\(grain) \(stage)")
                #expect(cell.outcomes == 1 && cell.met == 1 && cell.revision == 1)
                #expect(book.cell(RollupKey(view: .agent, window: w, owner: "A1", stage: stage)) == nil)
            }
        }
        let taken = book.takeChanges()
        #expect(taken.cells.count == 10 && taken.cells.allSatisfy { $0.key.owner == "A2" && $0.cell.met == 1 })
    }

    @Test func aBookOfMonthsAloneGivesTheSameMonthsScorecardsAndRows() {
        let scenario = RollupScenario(seed: 3, cycles: 500)
        var full = Self.book()
        var months = RollupBook(calendar: Fixtures.calendar, rule: full.rule, retention: full.retention, grains: [.month])
        for o in scenario.stream {
            _ = full.apply(o, view: .unit, now: Self.now)
            _ = months.apply(o, view: .unit, now: Self.now)
        }
        let a = full.takeChanges(), b = months.takeChanges()
        #expect(b.cells.allSatisfy { $0.key.window.grain == .month } && !b.cells.isEmpty)
        #expect(a.cells.filter { $0.key.window.grain == .month }.map(\.key) == b.cells.map(\.key))
        #expect(a.cells.filter { $0.key.window.grain == .month }.map(\.cell) == b.cells.map(\.cell))
        #expect(a.scorecards == b.scorecards && a.verdicts == b.verdicts)
    }
}

/// Issue "assessment": callbacks counted once per ticket, and the ticket-level verdict rows.
@Suite struct RollupBookAssessmentTests {
    static let now = Fixtures.t("2026-12-03T00:00")
    static let at = Fixtures.t("2026-11-20T09:00")

    static func closure(_ ticket: String, _ result: Outcome.Result, _ event: String, minutes: Int64, satisfaction: Int? = nil) -> Outcome {
        Outcome(outcomeId: "ticket:\(ticket):closure:\(event)", result: result, subject: SubjectID(.ticket, ticket), kind: .faultRepair,
                stage: "closure", unit: "U1", agent: "A1", region: .urban, customerClass: nil, deadline: nil,
                at: at.adding(.minutes(minutes)), elapsed: nil, satisfaction: satisfaction, outageId: nil)
    }

    @Test func twoCallbacksOnATicketCountOnceAndTheLastScoreStands() throws {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(40))
        // T1: closed, called back twice (scores 2, then 5); T2: closed, called back without a score; T3: closed only.
        let stream = [Self.closure("T1", .closed, "c", minutes: 0), Self.closure("T1", .callback, "cb1", minutes: 10, satisfaction: 2),
                      Self.closure("T2", .closed, "c", minutes: 0), Self.closure("T3", .closed, "c", minutes: 0),
                      Self.closure("T1", .callback, "cb2", minutes: 20, satisfaction: 5), Self.closure("T2", .callback, "cb", minutes: 15),
                      // A repeat of the first callback arriving late changes nothing.
                      Self.closure("T1", .callback, "cb1", minutes: 10, satisfaction: 2)]
        for o in stream { _ = book.apply(o, view: .unit, now: Self.now) }
        let month = try #require(book.allCells.first { $0.key.window.grain == .month }?.cell)
        // By hand: 3 tickets closed, 2 called back (回访率 2/3), one score counted: 5.
        #expect(month.closed == 3 && month.callbacks == 2 && month.satisfactionCount == 1 && month.satisfactionSum == 5)
        #expect(month.callbackRate.map { abs($0 - 2.0 / 3) < 1e-9 } == true)
        // An earlier callback arriving after a later one does not replace it.
        #expect(book.apply(Self.closure("T1", .callback, "cb0", minutes: 5, satisfaction: 1), view: .unit, now: Self.now) == .duplicate)
    }

    @Test func aCycleRowFollowsItsVerdictAndItsOverdue() throws {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(40))
        let start = Fixtures.t("2026-11-20T08:00")
        func outcome(_ id: String, _ r: Outcome.Result, at: Timestamp, elapsed: TimeSpan? = nil) -> Outcome {
            var o = Outcome(outcomeId: "ticket:T9:repair.dispatch@20261120T000000Z:" + id, result: r, subject: SubjectID(.ticket, "T9"), kind: .faultRepair,
                            stage: "repair.dispatch", unit: "U1", agent: nil, region: .urban, customerClass: nil, deadline: start.adding(.minutes(5)),
                            at: at, elapsed: elapsed, satisfaction: nil, outageId: nil)
            o.chargedTo = "95598"; o.startedAt = start; o.cycle = 1
            return o
        }
        _ = book.apply(outcome("sla.overdue", .overdue, at: start.adding(.minutes(5))), view: .unit, now: Self.now)
        var rows = book.takeChanges().verdicts
        #expect(rows.map { "\($0.verdict) \($0.overdue) \($0.revision)" } == ["pending true 1"])
        #expect(rows.first?.keyText == "verdict|ticket|T9|repair.dispatch@20261120T000000Z")
        _ = book.apply(outcome("sla.missed@20261120T000800Z", .missed, at: start.adding(.minutes(8)), elapsed: .minutes(8)), view: .unit, now: Self.now)
        rows = book.takeChanges().verdicts
        #expect(rows.map { "\($0.verdict) \($0.overdue) \($0.revision)" } == ["missed true 2"])
        // A late event shows the dispatch at 08:04: verdict met, the overdue withdrawn.
        _ = book.apply(outcome("sla.met@20261120T000400Z", .met, at: start.adding(.minutes(4)), elapsed: .minutes(4)), view: .unit, now: Self.now)
        var withdrawn = outcome("sla.overdue~retracted", .retracted, at: start.adding(.minutes(5)))
        withdrawn.outcomeId = "ticket:T9:repair.dispatch@20261120T000000Z:sla.overdue~retracted"
        _ = book.apply(withdrawn, view: .unit, now: Self.now)
        rows = book.takeChanges().verdicts
        let row = try #require(rows.first)
        #expect(rows.count == 1 && row.verdict == "met" && !row.overdue && row.revision == 4 && row.chargedTo == "95598")
        let json = String(decoding: row.json(calendar: Fixtures.calendar, asOf: Self.now), as: UTF8.self)
        #expect(json.contains(#""verdict":"met","overdue":false"#) && json.contains(#""started_at":"2026-11-20T08:00:00+08:00""#) && json.contains(#""month":"2026-11""#))
        // Counting the rows' verdicts gives the cells' numbers: nothing counted twice.
        let cell = try #require(book.allCells.first { $0.key.window.grain == .month }?.cell)
        #expect(cell.met == 1 && cell.missed == 0 && cell.overdue == 0)
    }
}

/// Volumes of every ticket kind (受理 / 处理 / 答复, send-backs, 一次解决), counted by hand.
@Suite struct VolumeTests {
    @Test func everyKindIsCountedOncePerTicketAndFirstTimeResolutionIsKnown() throws {
        var d = TrackerDriver()
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(40))
        func take(_ t: TicketEvent) throws {
            try d.apply(.ticket(t))
            if let o = Outcome.volume(t, history: d.tracker.state(of: SubjectID(.ticket, t.ticketId))) {
                _ = book.apply(o, view: .unit, now: Fixtures.t("2026-12-03T00:00"))
            }
        }
        func ev(_ id: String, _ kind: SubjectKind, _ a: LifecycleAction, _ at: String, unit: String? = nil) -> TicketEvent {
            TicketEvent(eventId: "\(id)-\(a.rawValue)-\(at)", ticketId: id, kind: kind, action: a, occurredAt: Fixtures.t(at), unit: unit)
        }
        // C1 (Dept-A): resolved, sent back, resolved again, called back.
        try take(ev("C1", .complaint, .created, "2026-11-20T09:00", unit: "Dept-A"))
        try take(ev("C1", .complaint, .resolved, "2026-11-21T09:00"))
        try take(ev("C1", .complaint, .sentBack, "2026-11-22T09:00"))
        try take(ev("C1", .complaint, .resolved, "2026-11-23T09:00"))
        try take(ev("C1", .complaint, .callback, "2026-11-24T09:00"))
        // Q1, a consultation no stage times, answered; P1, a praise closed. Both at the Desk.
        try take(ev("Q1", .consultation, .created, "2026-11-20T10:00", unit: "Desk"))
        try take(ev("Q1", .consultation, .answered, "2026-11-20T10:05", unit: "Desk"))
        try take(ev("P1", .praise, .created, "2026-11-20T11:00", unit: "Desk"))
        try take(ev("P1", .praise, .closed, "2026-11-20T11:30"))
        // A repeat of Q1's creation changes nothing.
        try take(ev("Q1", .consultation, .created, "2026-11-20T10:00", unit: "Desk"))
        var byUnit: [String: RollupCell] = [:]
        for (k, c) in book.allCells where k.window.grain == .month {
            var u = byUnit[k.owner] ?? RollupCell()
            u.received += c.received; u.handled += c.handled; u.answered += c.answered
            u.sentBack += c.sentBack; u.reopened += c.reopened; u.firstTime += c.firstTime
            byUnit[k.owner] = u
        }
        let a = try #require(byUnit["Dept-A"]), desk = try #require(byUnit["Desk"])
        #expect([a.received, a.handled, a.answered, a.sentBack, a.firstTime] == [1, 1, 1, 1, 0])
        #expect([desk.received, desk.handled, desk.answered, desk.sentBack, desk.firstTime] == [2, 1, 1, 0, 1])
        #expect(desk.handledRate == 0.5 && desk.answeredRate == 0.5 && desk.firstTimeRate == 1 && a.firstTimeRate == 0)
    }
}

/// Agents by stage: every outcome of an agent counts in the agent's all-stages cell and in its
/// stage's; 满意率 is the share of scores of 4 or 5. Worked out by hand.
@Suite struct AgentByStageTests {
    @Test func anAgentsStagesAreKeptApart() throws {
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(40))
        let at = Fixtures.t("2026-11-20T09:00")
        func o(_ id: String, _ r: Outcome.Result, _ stage: String, minutes: Int64? = nil, satisfaction: Int? = nil) -> Outcome {
            Outcome(outcomeId: "ticket:\(id):\(stage)@s:sla.\(r.rawValue)@e", result: r, subject: SubjectID(.ticket, id), kind: .faultRepair,
                    stage: stage, unit: "U1", agent: "A1", region: .urban, customerClass: nil, deadline: nil, at: at,
                    elapsed: minutes.map { .minutes($0) }, satisfaction: satisfaction, outageId: nil)
        }
        var cb1 = o("T1", .callback, "closure", satisfaction: 5); cb1.outcomeId = "ticket:T1:closure:cb"
        var cb2 = o("T2", .callback, "closure", satisfaction: 3); cb2.outcomeId = "ticket:T2:closure:cb"
        for x in [o("T1", .met, "repair.dispatch", minutes: 3), o("T2", .missed, "repair.dispatch", minutes: 9),
                  o("T1", .met, "repair.arrival", minutes: 40), cb1, cb2] {
            _ = book.apply(x, view: .agent, now: Fixtures.t("2026-12-03T00:00"))
        }
        var month: [String: RollupCell] = [:]
        for (k, c) in book.allCells where k.window.grain == .month { month[k.text] = c }
        let dispatch = try #require(month["agent|month|2026-11|A1|repair.dispatch"])
        #expect(dispatch.met == 1 && dispatch.missed == 1 && dispatch.elapsedMeanSeconds == 360 && dispatch.onTimeRate == 0.5)
        #expect(month["agent|month|2026-11|A1|repair.arrival"]?.met == 1)
        let all = try #require(month["agent|month|2026-11|A1"])
        #expect(all.met == 2 && all.missed == 1 && all.callbacks == 2 && all.satisfied == 1 && all.satisfiedRate == 0.5)
        #expect(Set(month.keys) == ["agent|month|2026-11|A1", "agent|month|2026-11|A1|repair.dispatch", "agent|month|2026-11|A1|repair.arrival",
                                    "agent|month|2026-11|A1|closure"])
        let json = String(decoding: dispatch.json(try #require(book.allCells.first { $0.key.text == "agent|month|2026-11|A1|repair.dispatch" }?.key),
                                                  calendar: Fixtures.calendar, asOf: at), as: UTF8.self)
        #expect(json.contains(#""agent":"A1","stage":"repair.dispatch""#))
    }
}
