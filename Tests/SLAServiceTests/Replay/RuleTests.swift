import SLACore
import SLAService
import Testing

/// One numbered rule of domain.md: the events up to the start of its clock, the stopping event,
/// and the deadline worked out by hand (working days against the State Council notices).
struct RuleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let stage: String
    let kind: String
    let setup: [(action: String, at: String, extra: String)]
    let stop: (action: String, extra: String)
    let deadline: String
    var testDescription: String { "rule \(rule) \(stage) \(kind) \(setup.last!.extra) → \(deadline)" }
    var start: String { setup.last!.at }
    var alarms: Bool { !stage.hasSuffix(".return") }
}

private let fri = "2026-11-20T"  // a Friday in an ordinary week
private func r(_ region: String) -> String { #""region":"\#(region)""# }
private func c(_ cls: String) -> String { #""customer_class":"\#(cls)""# }

let ruleCases: [RuleCase] = [
    RuleCase(rule: "2", stage: "repair.dispatch", kind: "fault_repair", setup: [("created", fri + "08:00", r("urban"))], stop: ("dispatched", ""), deadline: fri + "08:05"),
    RuleCase(rule: "3", stage: "repair.arrival", kind: "fault_repair", setup: [("created", fri + "07:58", ""), ("dispatched", fri + "08:00", r("urban"))], stop: ("arrived", ""), deadline: fri + "08:45"),
    RuleCase(rule: "3", stage: "repair.arrival", kind: "fault_repair", setup: [("created", fri + "07:58", ""), ("dispatched", fri + "08:00", r("rural"))], stop: ("arrived", ""), deadline: fri + "09:30"),
    RuleCase(rule: "3", stage: "repair.arrival", kind: "fault_repair", setup: [("created", fri + "07:58", ""), ("dispatched", fri + "08:00", r("remote"))], stop: ("arrived", ""), deadline: fri + "10:00"),
    RuleCase(rule: "4", stage: "repair.onsite_report.county", kind: "fault_repair", setup: [("created", fri + "07:00", r("urban")), ("dispatched", fri + "07:04", ""), ("arrived", fri + "07:40", "")], stop: ("onsite_reported", #""reported_to":"county""#), deadline: fri + "08:00"),
    RuleCase(rule: "4", stage: "repair.onsite_report.city", kind: "fault_repair", setup: [("created", fri + "07:00", r("urban")), ("dispatched", fri + "07:04", ""), ("arrived", fri + "07:40", "")], stop: ("onsite_reported", #""reported_to":"city""#), deadline: fri + "08:10"),
    RuleCase(rule: "5", stage: "repair.return", kind: "fault_repair", setup: [("created", fri + "07:58", r("urban")), ("dispatched", fri + "08:00", "")], stop: ("returned", ""), deadline: fri + "08:05"),
    RuleCase(rule: "8", stage: "appeal.dispatch", kind: "complaint", setup: [("created", fri + "08:00", "")], stop: ("dispatched", ""), deadline: fri + "08:30"),
    RuleCase(rule: "8", stage: "appeal.dispatch", kind: "report", setup: [("created", fri + "08:00", "")], stop: ("dispatched", ""), deadline: fri + "08:30"),
    RuleCase(rule: "8", stage: "appeal.dispatch", kind: "suggestion", setup: [("created", fri + "08:00", "")], stop: ("dispatched", ""), deadline: fri + "08:30"),
    RuleCase(rule: "8", stage: "appeal.dispatch", kind: "praise", setup: [("created", fri + "08:00", "")], stop: ("dispatched", ""), deadline: fri + "08:30"),
    // 1 working day after Friday: the whole of Monday 11-23.
    RuleCase(rule: "9", stage: "appeal.return", kind: "complaint", setup: [("created", fri + "07:50", ""), ("dispatched", fri + "08:00", "")], stop: ("returned", ""), deadline: "2026-11-24T00:00"),
    RuleCase(rule: "10", stage: "complaint.resolution", kind: "complaint", setup: [("created", fri + "10:00", "")], stop: ("resolved", ""), deadline: "2026-11-28T00:00"),
    RuleCase(rule: "10", stage: "report.resolution", kind: "report", setup: [("created", fri + "10:00", "")], stop: ("resolved", ""), deadline: "2026-12-05T00:00"),
    // Over Golden Week 2026: 10-01..10-07 off, 10-10 (Sat) worked.
    RuleCase(rule: "10", stage: "complaint.resolution", kind: "complaint", setup: [("created", "2026-09-30T10:00", "")], stop: ("resolved", ""), deadline: "2026-10-14T00:00"),
    RuleCase(rule: "14", stage: "outage.notice.planned", kind: "planned", setup: [("registered", "2026-11-01T09:00", #""start_at":"2026-11-20T08:00:00+08:00","est_restore_at":"2026-11-20T17:00:00+08:00","feeders":["F1"],"cause":"maintenance""#)], stop: ("announced", ""), deadline: "2026-11-13T08:00"),
    RuleCase(rule: "14", stage: "outage.notice.temporary", kind: "temporary", setup: [("registered", "2026-11-18T09:00", #""start_at":"2026-11-20T08:00:00+08:00","est_restore_at":"2026-11-20T12:00:00+08:00","areas":["A1"],"cause":"repair""#)], stop: ("announced", ""), deadline: "2026-11-19T08:00"),
    RuleCase(rule: "15", stage: "outage.restoration", kind: "fault", setup: [("started", fri + "13:00", #""est_restore_at":"2026-11-20T16:00:00+08:00","feeders":["F1"]"#)], stop: ("restored", ""), deadline: fri + "16:00"),
    RuleCase(rule: "16", stage: "connection.power_on", kind: "new_connection", setup: [("inspection_passed", fri + "10:00", c("residential"))], stop: ("powered_on", ""), deadline: "2026-11-26T00:00"),
    RuleCase(rule: "16", stage: "connection.power_on", kind: "new_connection", setup: [("inspection_passed", fri + "10:00", c("non_residential"))], stop: ("powered_on", ""), deadline: "2026-11-28T00:00"),
    RuleCase(rule: "16", stage: "connection.power_on", kind: "new_connection", setup: [("inspection_passed", fri + "10:00", c("hv_single"))], stop: ("powered_on", ""), deadline: "2026-11-28T00:00"),
    RuleCase(rule: "17", stage: "connection.plan_reply", kind: "new_connection", setup: [("application_accepted", fri + "10:00", c("residential"))], stop: ("plan_replied", ""), deadline: "2026-11-26T00:00"),
    RuleCase(rule: "17", stage: "connection.plan_reply", kind: "new_connection", setup: [("application_accepted", fri + "10:00", c("low_voltage"))], stop: ("plan_replied", ""), deadline: "2026-12-02T00:00"),
    RuleCase(rule: "17", stage: "connection.plan_reply", kind: "new_connection", setup: [("application_accepted", fri + "10:00", c("non_residential"))], stop: ("plan_replied", ""), deadline: "2026-12-02T00:00"),
    RuleCase(rule: "17", stage: "connection.plan_reply", kind: "new_connection", setup: [("application_accepted", fri + "10:00", c("hv_single"))], stop: ("plan_replied", ""), deadline: "2026-12-12T00:00"),
    // 30 working days from Tue 09-01 across Mid-autumn (09-25), Golden Week and both adjusted days (09-20, 10-10).
    RuleCase(rule: "17", stage: "connection.plan_reply", kind: "new_connection", setup: [("application_accepted", "2026-09-01T10:00", c("hv_dual"))], stop: ("plan_replied", ""), deadline: "2026-10-20T00:00"),
]

@Suite struct RuleTests {
    private func run(_ rc: RuleCase, stopAt: Timestamp) throws -> [SLAEvent] {
        var h = Harness()
        let id = "R-\(rc.rule)-\(rc.stage)-\(rc.kind)"
        for s in rc.setup { try h.feed(line(id, rc.kind, s.action, s.at, s.extra)) }
        try h.feed(line(id, rc.kind, rc.stop.action, RFC3339.format(stopAt, offsetSeconds: 28_800), rc.stop.extra))
        return h.events(id, stage: rc.stage)
    }

    @Test(arguments: ruleCases)
    func metExactlyAtTheLimit(_ rc: RuleCase) throws {
        let deadline = at(rc.deadline)
        let all = try run(rc, stopAt: deadline)
        // Ladder steps before the deadline (the complaint reminder 1 day ahead) are expected too.
        let reminders = all.filter { $0.type == .escalated && $0.occurredAt < deadline }
        #expect(reminders.allSatisfy { $0.level == "reminder" && $0.occurredAt == deadline.adding(.days(-1)) })
        let events = all.filter { !reminders.contains($0) }
        #expect(events.map(\.type) == (rc.alarms ? [.started, .warning, .met] : [.met]))
        let met = try #require(events.last)
        #expect(met.deadline == deadline)
        #expect(met.elapsed == deadline.since(at(rc.start)))
        #expect(met.rule == rc.rule)
    }

    @Test(arguments: ruleCases)
    func missedByOneSecond(_ rc: RuleCase) throws {
        let deadline = at(rc.deadline)
        let events = try run(rc, stopAt: deadline.adding(.seconds(1))).filter { $0.level != "reminder" }
        let types = events.map(\.type)
        #expect(types.last == .missed)
        #expect(events.last?.elapsed == deadline.adding(.seconds(1)).since(at(rc.start)))
        if rc.alarms {
            #expect(types.prefix(3) == [.started, .warning, .overdue])
            #expect(events.first { $0.type == .overdue }?.occurredAt == deadline)
            #expect(events.contains { $0.type == .escalated && $0.level == "urge" && $0.occurredAt == deadline })
        } else {
            #expect(types == [.missed])  // a return window raises no alarm, only its verdict
        }
    }
}
