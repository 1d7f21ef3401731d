import Foundation
import PropertyBased
import Testing
@testable import SLACore

/// The tracker's central claim: a subject's cycles, verdicts and standing alarms depend on its
/// history, not on the order its events arrive in. A late arrival can add events — an alarm
/// raised while a stopping event was still on its way, then withdrawn (`sla.retracted`); a
/// verdict later corrected (judged "stopped" by a `closed` before the earlier `dispatched`
/// came in, then "met") — but the last verdict of each cycle, and the alarms not withdrawn,
/// are those of the events in order.
@Suite struct OrderIndependenceTests {
    /// A random fault-repair life: created, maybe returned and re-dispatched, arrived, reports,
    /// resolved, closed — at random gaps (seconds to hours), built from `seeds`.
    static func life(_ seeds: [Int]) -> [InboundEvent] {
        var t = Fixtures.t("2026-11-20T08:00").milliseconds
        var k = 0
        func gap() -> Int64 { k += 1; return Int64(seeds[k % seeds.count] % 7_200 + 1) * 1000 }
        func ev(_ action: LifecycleAction, reportedTo: ReportedTo? = nil, region: Region? = nil, multi: Bool? = nil) -> InboundEvent {
            t += gap()
            var e = TicketEvent(eventId: "e\(k)-\(action.rawValue)", ticketId: "T", kind: .faultRepair, action: action,
                                occurredAt: Timestamp(milliseconds: t), unit: "U", region: region)
            e.reportedTo = reportedTo; e.multiUnit = multi
            return .ticket(e)
        }
        let regions: [Region] = [.urban, .rural, .remote]
        var out = [ev(.created, region: regions[seeds[0] % 3]), ev(.dispatched)]
        if seeds[0] % 4 == 1 { out += [ev(.returned), ev(.dispatched)] }
        if seeds[0] % 5 != 2 {
            out += [ev(.arrived), ev(.onsiteReported, reportedTo: .county), ev(.onsiteReported, reportedTo: .city), ev(.resolved)]
        }
        if seeds[0] % 3 != 0 { out.append(ev(.closed)) }
        return out
    }

    struct Output { var starts: Set<String>; var lastVerdicts: [String: String]; var verdicts: Set<String>; var alarms: Set<String>; var standing: Set<String> }

    /// What was emitted (everything but `detected_at`): starts, each cycle's last verdict, all verdicts, alarms.
    static func emitted(_ events: [InboundEvent], order: [Int], inTime: Bool, until end: Timestamp) throws -> Output {
        var d = TrackerDriver()
        let last = events.map(\.occurredAt).max()!
        for i in order { try d.apply(events[i], at: inTime ? events[i].occurredAt : last) }
        d.advance(to: end)
        // A cycle withdrawn and brought back by a later arrival publishes under `#w<n>` ids: the
        // same cycle, so compared without the suffix.
        func bare(_ id: String) -> String { id.replacingOccurrences(of: #"#w[0-9]+"#, with: "", options: .regularExpression) }
        func text(_ e: SLAEvent) -> String { "\(bare(e.eventId)) \(e.occurredAt) \(e.deadline.map(\.description) ?? "-") \(e.elapsed?.description ?? "-")" }
        var o = Output(starts: [], lastVerdicts: [:], verdicts: [], alarms: [], standing: [])
        let retracted = Set(d.emitted.compactMap(\.retractedEventId))
        for e in d.emitted {
            switch e.type {
            case .met, .missed, .stopped:
                o.lastVerdicts["\(e.stage)@\(e.startedAt!)"] = text(e)
                o.verdicts.insert(text(e))
            case .warning, .overdue, .escalated:
                o.alarms.insert(text(e))
                if !retracted.contains(e.eventId) { o.standing.insert(text(e)) }
            case .started, .linked:
                o.starts.insert(text(e))
                // A cycle brought back after its withdrawal runs again: its withdrawal's stop is
                // no longer its last word (docs/events.md).
                if e.eventId.contains("#w") { o.lastVerdicts["\(e.stage)@\(e.startedAt!)"] = nil }
            case .unresolved, .rescheduled, .retracted: break  // news about the arrival order itself
            }
        }
        return o
    }

    @Test func anyArrivalOrderGivesTheSameVerdictsAndNeverFewerAlarms() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...1_000_000).array(of: 12)) { seeds in
            let events = Self.life(seeds)
            let end = events.map(\.occurredAt).max()!.adding(.days(2))
            let inOrder = try! Self.emitted(events, order: Array(events.indices), inTime: true, until: end)
            // A shuffle derived from the seeds, every event arriving late at once.
            var order = Array(events.indices)
            for i in order.indices.reversed() where i > 0 { order.swapAt(i, seeds[i % seeds.count] % (i + 1)) }
            let shuffled = try! Self.emitted(events, order: order, inTime: false, until: end)
            #expect(shuffled.starts == inOrder.starts, "order \(order): starts differ")
            #expect(shuffled.lastVerdicts == inOrder.lastVerdicts, "order \(order): last verdicts \(shuffled.lastVerdicts) vs \(inOrder.lastVerdicts)")
            #expect(inOrder.verdicts.isSubset(of: shuffled.verdicts))
            #expect(inOrder.alarms.isSubset(of: shuffled.alarms), "order \(order): alarms lost \(inOrder.alarms.subtracting(shuffled.alarms))")
            // Nothing raised in order is withdrawn, and what the late arrivals raised wrongly is.
            #expect(inOrder.standing == inOrder.alarms)
            #expect(shuffled.standing == inOrder.alarms, "order \(order): standing alarms differ by \(shuffled.standing.symmetricDifference(inOrder.alarms).count)")
            #expect(!inOrder.lastVerdicts.isEmpty)
        }
    }
}
