import Testing
@testable import SLACore

/// Yearly stars from monthly scores, and agents' monthly scorecards; every figure by hand.
@Suite struct StarRatingTests {
    /// `met` and `missed` arrival verdicts for a unit and agent on the 10th of a month of 2026.
    static func month(_ m: Int, unit: String = "U1", agent: String? = "A1", met: Int, missed: Int, stage: String = "repair.arrival",
                      tag: String = "") -> [Outcome] {
        let at = Fixtures.t("2026-\(m < 10 ? "0" : "")\(m)-10T09:00")
        return (0..<(met + missed)).map { i in
            let r: Outcome.Result = i < missed ? .missed : .met
            let id = "T\(m)-\(unit)-\(stage)-\(i)\(tag)"
            return Outcome(outcomeId: "ticket:\(id):\(stage)@s:sla.\(r.rawValue)@e", result: r, subject: SubjectID(.ticket, id),
                           kind: .faultRepair, stage: stage, unit: unit, agent: agent, region: .urban, customerClass: nil,
                           deadline: at, at: at, elapsed: .minutes(30), satisfaction: nil, outageId: nil)
        }
    }

    static func book() -> RollupBook { RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(40)) }

    @Test func aYearsStarsAreTheMeanOfItsGradedMonthsAndSurviveTheirPruning() throws {
        var book = Self.book()
        var state: [String: [UInt8]?] = [:]
        func feed(_ outcomes: [Outcome], now: Timestamp) -> RollupBook.Changes {
            for o in outcomes { for v in RollupView.allCases { _ = book.apply(o, view: v, now: now) } }
            book.prune(now: now)
            let c = book.takeChanges()
            for s in c.state { state[s.key] = s.value }
            return c
        }
        // January: 10 of 10 on time → 100. February: 8 of 10 → 20 points short → 80.
        // March: 5 verdicts, fewer than min_volume 10 → not graded. Mean (100 + 80) / 2 = 90 → 4 stars.
        _ = feed(Self.month(1, met: 10, missed: 0), now: Fixtures.t("2026-01-31T00:00"))
        _ = feed(Self.month(2, met: 8, missed: 2), now: Fixtures.t("2026-02-28T00:00"))
        let march = feed(Self.month(3, met: 5, missed: 0), now: Fixtures.t("2026-03-31T00:00"))
        let unit = try #require(march.stars.first { $0.view == .unit && $0.owner == "U1" })
        #expect(unit.months.map(\.label) == ["2026-01", "2026-02", "2026-03"])
        #expect(unit.months.map(\.score) == [100_000, 80_000, 100_000] && unit.months.map(\.graded) == [true, true, false])
        // Its revision is the months' scorecard revisions summed: one change per verdict (10 + 10 + 5).
        #expect(unit.gradedMonths == 2 && unit.meanScore == 90_000 && unit.stars == 4 && unit.revision == 25)
        #expect(unit.keyText == "stars|2026|unit|U1")
        // The agent's months are scored from its stage cells: the same 10, 10 and 5 verdicts, not twice as many.
        let agent = try #require(march.stars.first { $0.view == .agent && $0.owner == "A1" })
        #expect(agent.months.map(\.verdicts) == [10, 10, 5] && agent.stars == 4)
        let agentCard = try #require(march.scorecards.first { $0.view == .agent })
        #expect(agentCard.keyText == "agent_scorecard|2026-03|A1" && agentCard.verdicts == 5 && agentCard.grade == .insufficientVolume)

        // By June the months of January to March are pruned (40 days' retention) but the year keeps their scores.
        let june = feed(Self.month(6, met: 19, missed: 1), now: Fixtures.t("2026-06-20T00:00"))
        #expect(book.cellCount > 0 && !book.allCells.contains { $0.key.window.label.hasPrefix("2026-01") })
        let later = try #require(june.stars.first { $0.view == .unit })
        // June: 19 of 20 → 95. Mean (100 + 80 + 95) / 3 = 91.667 → 4 stars.
        #expect(later.months.map(\.label) == ["2026-01", "2026-02", "2026-03", "2026-06"] && later.meanScore == 91_667 && later.stars == 4)

        // A restored book holds the same year, and the same rating comes out of the next change.
        var restored = Self.book()
        #expect(restored.restore(state.compactMap { k, v in v.map { (k, $0) } }).isEmpty)
        #expect(restored.stars(view: .unit, year: "2026", owner: "U1") == book.stars(view: .unit, year: "2026", owner: "U1"))
        #expect(restored.stars(view: .agent, year: "2026", owner: "A1")?.months.count == 4)

        // A repeat of June changes no month: no new rating is published.
        #expect(feed(Self.month(6, met: 19, missed: 1), now: Fixtures.t("2026-06-21T00:00")).stars.isEmpty)
        // A late correction in June (the missed arrival was on time after all) → 100; mean (100 + 80 + 100) / 3 = 93.333, a new revision.
        var fixed = Self.month(6, met: 19, missed: 1)[0]
        fixed.outcomeId = fixed.outcomeId.replacingOccurrences(of: "sla.missed", with: "sla.met")
        fixed.result = .met
        let corrected = try #require(feed([fixed], now: Fixtures.t("2026-06-22T00:00")).stars.first { $0.view == .unit })
        // The correction takes the missed verdict out and puts the met one in: two more changes.
        #expect(corrected.meanScore == 93_333 && corrected.stars == 4 && corrected.revision == later.revision + 2)
        #expect(corrected.months.map(\.score) == [100_000, 80_000, 100_000, 100_000])

        // The year goes a retention after it ends, and its state with it.
        let gone = feed([], now: Fixtures.t("2027-02-15T00:00"))
        #expect(book.stars(view: .unit, year: "2026", owner: "U1") == nil)
        // Everything of 2026 is past the horizon now: every state set empties, and its records are
        // deleted one take later (once nothing newer is owed).
        #expect(gone.state.allSatisfy { $0.value == nil })
        _ = feed([], now: Fixtures.t("2027-02-15T00:01"))
        #expect(state.values.allSatisfy { $0 == nil } && !state.isEmpty, "no state record of 2026 is left")
    }

    @Test func bandsDecideTheStarsAndAYearWithoutAGradedMonthIsNotRated() throws {
        var rating = StarRating(view: .unit, owner: "U", year: RollupWindow.of(Fixtures.t("2026-05-01T00:00"), .year, calendar: Fixtures.calendar),
                                months: [], bands: ScorecardRule.standard.stars)
        #expect(rating.stars == nil && rating.meanScore == nil)
        _ = rating.record(.init(label: "2026-01", score: 40_000, graded: false, verdicts: 3))
        #expect(rating.stars == nil, "an ungraded month does not count")
        for (score, stars) in [(95_000, 5), (94_999, 4), (90_000, 4), (89_999, 3), (80_000, 3), (79_999, 2), (70_000, 2), (69_999, 1), (0, 1)] as [(Int64, Int)] {
            _ = rating.record(.init(label: "2026-02", score: score, graded: true, verdicts: 10))
            #expect(rating.stars == stars, "mean \(score)")
        }
        rating.bands = [99_000, 98_000, 97_000, 50_000]
        _ = rating.record(.init(label: "2026-02", score: 97_500, graded: true, verdicts: 10))
        #expect(rating.stars == 3)
        let json = String(decoding: rating.json(calendar: Fixtures.calendar, asOf: Fixtures.t("2026-05-01T00:00")), as: UTF8.self)
        #expect(json.contains(#""stars":3,"rated":true,"mean_score":97.5,"graded_months":1"#), "\(json)")
        #expect(json.contains(#""bands":{"5":99,"4":98,"3":97,"2":50}"#), "\(json)")
    }
}
