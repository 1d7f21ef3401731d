import Testing
@testable import SLACore

@Suite struct PolicyLoaderTests {
    @Test func shippedPolicyEncodesEveryNumberedRule() {
        let p = Fixtures.policy
        #expect(p.version == "95598-default-2026.12")
        // Every rule of domain.md with a number to time; rule 1 and 11 are stage options.
        let rules = Set(p.stages.map(\.rule))
        #expect(rules == ["2", "3", "2+3", "4", "5", "8", "9", "10", "14", "15", "16", "17"])
        #expect(p.stages.contains { $0.skipIfLinked })                       // rule 1
        #expect(p.stages.contains { $0.immediate?.to == "marketing_leader" }) // rule 11
        let arrival = p.stages.first { $0.id == "repair.arrival" }!
        #expect(arrival.limit == .after(.byRegion([.urban: .span(.minutes(45)), .rural: .span(.minutes(90)), .remote: .span(.minutes(120))])))
        #expect(arrival.escalation.map(\.level) == ["urge", "supervisor", "leader"])
        let notice = p.stages.first { $0.id == "outage.notice.planned" }!
        #expect(notice.limit == .before(.startAt, lead: .days(7)))
        #expect(p.stages.first { $0.id == "complaint.resolution" }!.limit == .after(.single(.workingDays(5))))
        #expect(p.stages.first { $0.id == "report.resolution" }!.limit == .after(.single(.workingDays(10))))
    }

    @Test func shippedPolicyChargesDispatchAndNoticeToTheCentre() {
        let p = Fixtures.policy
        #expect(p.centre == "95598")
        let centre = Set(p.stages.filter { $0.charged == .centre }.map(\.id))
        #expect(centre == ["repair.dispatch", "appeal.dispatch", "outage.notice.planned", "outage.notice.temporary"])
        // Accepting first does not void a return clock (rule 5 and 9 judge from receipt).
        #expect(p.stages.first { $0.id == "repair.return" }!.void == [.arrived])
        #expect(p.stages.first { $0.id == "appeal.return" }!.void == [.resolved])
        let commitment = p.stages.first { $0.id == "repair.commitment" }!
        // 5 minutes to dispatch plus the region's arrival limit, worked out by hand.
        #expect(commitment.limit == .after(.byRegion([.urban: .span(.minutes(50)), .rural: .span(.minutes(95)), .remote: .span(.minutes(125))])))
        #expect(!commitment.alarms && commitment.skipIfLinked && commitment.start == [.created] && commitment.stop.map(\.action) == [.arrived])
    }

    @Test func chargedAndCentreAreChecked() {
        let base = Self.stage
        #expect(refusal(base.replacingOccurrences(of: "version: v1", with: "version: v1\ncentre: \"\"")) != "accepted")
        #expect(refusal(base.replacingOccurrences(of: "version: v1", with: "version: v1\ncentre: " + String(repeating: "c", count: 129))).contains("at most 128 bytes"))
        let withCharged = base.replacingOccurrences(of: "    rule: \"2\"", with: "    rule: \"2\"\n    charged: nobody")
        #expect(refusal(withCharged).contains(#"unknown charged party "nobody" (expected one of centre, holder)"#))
        let centre = try! PolicyLoader.parse(base.replacingOccurrences(of: "    rule: \"2\"", with: "    rule: \"2\"\n    charged: centre")
                                               .replacingOccurrences(of: "version: v1", with: "version: v1\ncentre: HQ"), file: "p.yaml")
        #expect(centre.centre == "HQ" && centre.stages[0].charged == .centre)
        #expect(try! PolicyLoader.parse(base, file: "p.yaml").stages[0].charged == .holder)
        // missed_at needs an instant to count back from; missed_on may not name a start or stop.
        let missedAt = base.replacingOccurrences(of: "    rule: \"2\"", with: "    rule: \"2\"\n    missed_at: start_at")
        #expect(refusal(missedAt).contains("missed_at is for stages counted back from an outage instant (due:)"))
        let notice = PolicyLoaderTests.notice.replacingOccurrences(of: "    due:", with: "    missed_on: [announced]\n    due:")
        #expect(refusal(notice).contains("announced already starts or stops this stage"))
        let good = try! PolicyLoader.parse(PolicyLoaderTests.notice.replacingOccurrences(of: "    due:", with: "    missed_on: [started]\n    missed_at: start_at\n    due:"), file: "p.yaml")
        #expect(good.stages[0].missedOn == [.started] && good.stages[0].missedAt == .startAt)
    }

    private func refusal(_ yaml: String) -> String {
        do { _ = try PolicyLoader.parse(yaml, file: "p.yaml"); return "accepted" } catch { return error.description }
    }

    static let notice = """
        version: v1
        stages:
          - id: n1
            rule: "14"
            kinds: [planned]
            start: [registered]
            stop: [announced]
            due: { at: start_at, lead: 7d }
        """

    static let stage = """
        version: v1
        stages:
          - id: s1
            rule: "2"
            kinds: [fault_repair]
            start: [created]
            stop: [dispatched]
            limit: 5m
        """

    @Test func acceptsAMinimalPolicy() throws {
        let p = try PolicyLoader.parse(Self.stage, file: "p.yaml")
        #expect(p.stages.count == 1 && p.stages[0].warnAt == nil && p.stages[0].alarms)
        #expect(p.stopAllOn[.ticket] == [.closed, .cancelled])
    }

    @Test(arguments: [
        ("version: v1\nstages: [", "p.yaml:3:1: not valid YAML"),
        ("stages: []", "p.yaml:1:1: missing key \"version\""),
        ("version: v1\nstages: []", "p.yaml:2:9: stages: the policy has no stages"),
        ("version: v1\nstagez: []", "p.yaml:2:1: unknown key \"stagez\""),
        (stage.replacingOccurrences(of: "limit: 5m", with: "limit: 5 minutes"), "p.yaml:8:12: stages[0].limit: not a limit: \"5 minutes\""),
        (stage.replacingOccurrences(of: "limit: 5m", with: "limit: -5m"), "p.yaml:8:12: stages[0].limit: not a limit: \"-5m\""),
        (stage.replacingOccurrences(of: "[fault_repair]", with: "[faultrepair]"), "p.yaml:5:13: stages[0].kinds[0]: unknown kind \"faultrepair\""),
        (stage.replacingOccurrences(of: "[fault_repair]", with: "[fault_repair, planned]"), "p.yaml:5:12: stages[0].kinds: kinds mix ticket and outage kinds"),
        (stage.replacingOccurrences(of: "stop: [dispatched]", with: "stop: [restored]"), "p.yaml:7:12: stages[0].stop[0]: unknown ticket action \"restored\""),
        (stage.replacingOccurrences(of: "stop: [dispatched]", with: "stop: [created]"), "p.yaml:7:11: stages[0].stop: created both starts and stops this stage"),
        (stage.replacingOccurrences(of: "    limit: 5m", with: ""), "p.yaml:3:5: stages[0]: stage needs \"limit\""),
        (stage.replacingOccurrences(of: "limit: 5m", with: "due: {at: start_at}"), "p.yaml:8:10: stages[0].due: due: is for outage stages"),
        (stage.replacingOccurrences(of: "limit: 5m", with: "limit: {by: region, urban: 45m, rural: 90m}"), "p.yaml:8:12: stages[0].limit: no limit for region remote"),
        (stage.replacingOccurrences(of: "limit: 5m", with: "limit: {by: weather, urban: 45m}"), "p.yaml:8:17: stages[0].limit.by: cannot choose a limit by \"weather\""),
        (stage + "\n    warn_at: 1.5", "p.yaml:9:14: stages[0].warn_at: a share of the time strictly between 0 and 1"),
        (stage + "\n    escalation: [{at: soon, level: urge, to: x}]", "p.yaml:9:23: stages[0].escalation[0].at: not a duration: \"soon\""),
        (stage + "\n    escalation: [{at: 0m, level: urge}]", "p.yaml:9:18: stages[0].escalation[0]: an escalation step needs at, level and to"),
        (stage + "\n    escalation: [{at: 0m, level: urge, to: a}, {at: 5m, level: urge, to: b}]", "p.yaml:9:17: stages[0].escalation: each step needs its own level"),
        (stage + "\n    alarms: false\n    escalation: [{at: 0m, level: urge, to: a}]", "p.yaml:10:17: stages[0].escalation: a stage with alarms: false has no escalation ladder"),
        (stage + "\n    immediate_escalation: {when: angry, level: leader, to: x}", "p.yaml:9:34: stages[0].immediate_escalation.when: the only condition in contract v1 is multi_unit"),
        (stage.replacingOccurrences(of: "id: s1", with: "id: S 1"), "p.yaml:3:9: stages[0].id: stage id \"S 1\" may use only"),
        (stage + "\n  - id: s1\n    rule: \"2\"\n    kinds: [complaint]\n    start: [created]\n    stop: [dispatched]\n    limit: 30m", "p.yaml:9:5: stages[1]: stage id \"s1\" is used twice"),
        (stage.replacingOccurrences(of: "stop: [dispatched]", with: "stop: [{action: dispatched, reported_to: city}]"), "p.yaml:7:12: stages[0].stop[0]: reported_to narrows only onsite_reported"),
        (stage + "\nscorecard: {deductions: {overdue: 150}}", "p.yaml:9:35: scorecard.deductions.overdue: points must be between 0 and 100"),
        (stage + "\nscorecard: {stage_deductions: {s9: {missed: 1}}}", "p.yaml:9:36: scorecard.stage_deductions.s9: no stage \"s9\""),
        (stage + "\nscorecard: {bonus: 5}", "p.yaml:9:13: scorecard: unknown key"),
    ])
    func refusesBadPoliciesWithFileLineAndReason(yaml: String, expected: String) {
        let message = refusal(yaml)
        #expect(message.hasPrefix(expected), "got: \(message)")
    }

    @Test func theScorecardSectionSetsDeductionsPerStageAndTheAssessmentLine() throws {
        let yaml = Self.stage + "\nscorecard:\n  deductions: {overdue: 2}\n  stage_deductions: {s1: {missed: 0.25}}\n  assess_below: 95"
        let rule = try PolicyLoader.parse(yaml, file: "p.yaml").scorecard
        #expect(rule.deduction == .init(overdue: 2000, missed: 500))
        #expect(rule.perStage["s1"] == .init(overdue: 2000, missed: 250) && rule.assessBelow == 95_000)
        #expect(Fixtures.policy.scorecard == .standard, "the shipped policy states the defaults")
    }

    @Test func theScorecardMethodTargetsAndVolumeAreReadAndChecked() throws {
        let yaml = Self.stage + "\nscorecard:\n  method: per_event\n  min_volume: 25\n  stage_deductions: {s1: {target: 0.95, weight: 2, cap: 15, points_per_percent: 2}}"
        let rule = try PolicyLoader.parse(yaml, file: "p.yaml").scorecard
        #expect(rule.method == .perEvent && rule.minVolume == 25)
        let s1 = try #require(rule.perStage["s1"])
        #expect(s1.target == 0.95 && s1.weight == 2 && s1.cap == 15_000 && s1.pointsPerPercent == 2_000)
        #expect(ScorecardRule.standard.method == .rate && ScorecardRule.standard.minVolume == 10 && ScorecardRule.standard.assessBelow == 70_000)
        #expect(refusal(Self.stage + "\nscorecard:\n  method: fancy").contains(#"unknown scorecard method "fancy" (expected one of rate, per_event)"#))
        #expect(refusal(Self.stage + "\nscorecard:\n  deductions: {target: 1.5}").contains("a target is an on-time rate above 0 and at most 1"))
        #expect(refusal(Self.stage + "\nscorecard:\n  min_volume: 2.5").contains("min_volume is a whole number"))
    }

    @Test func starBandsAreReadAndMustFallFromFiveToTwo() throws {
        #expect(try PolicyLoader.parse(Self.stage, file: "p.yaml").scorecard.stars == [95_000, 90_000, 80_000, 70_000], "the default")
        let rule = try PolicyLoader.parse(Self.stage + "\nscorecard:\n  stars: {5: 98, 4: 92.5, 3: 85, 2: 60}", file: "p.yaml").scorecard
        #expect(rule.stars == [98_000, 92_500, 85_000, 60_000])
        func refusal(_ yaml: String) -> String {
            do { _ = try PolicyLoader.parse(yaml, file: "p.yaml"); return "accepted" } catch { return "\(error)" }
        }
        #expect(refusal(Self.stage + "\nscorecard:\n  stars: {5: 95, 4: 90, 3: 80}").contains("each of 5, 4, 3 and 2 stars"))
        #expect(refusal(Self.stage + "\nscorecard:\n  stars: {5: 95, 4: 96, 3: 80, 2: 70}").contains("must fall from 5 stars to 2"))
        #expect(refusal(Self.stage + "\nscorecard:\n  stars: {5: 120, 4: 90, 3: 80, 2: 70}").contains("between 0 and 100"))
        #expect(refusal(Self.stage + "\nscorecard:\n  stars: {6: 99, 5: 95, 4: 90, 3: 80, 2: 70}").contains("6"))
    }
}
