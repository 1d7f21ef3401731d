import SLACore
import SLAService
import Testing

@Suite struct DemoTrafficTests {
    static let start = RFC3339.parse("2026-11-23T08:00:00+08:00")!.0

    @Test func theSameSeedPlansTheSameTraffic() {
        var a = DemoTraffic(seed: 7), b = DemoTraffic(seed: 7), c = DemoTraffic(seed: 8)
        let pa = a.plan(from: Self.start, span: .hours(1)), pb = b.plan(from: Self.start, span: .hours(1))
        #expect(pa.map(\.value) == pb.map(\.value))
        #expect(pa.map(\.value) != c.plan(from: Self.start, span: .hours(1)).map(\.value))
    }

    @Test func anHourHasTheMixTheDemoPromises() throws {
        var t = DemoTraffic(faultRepairsPerHour: 120, seed: 1)
        let plan = t.plan(from: Self.start, span: .hours(1))
        #expect(zip(plan, plan.dropFirst()).allSatisfy { $0.at <= $1.at }, "in send order")
        #expect(plan.allSatisfy { $0.at >= Self.start && $0.at < Self.start.adding(.hours(1)) })
        let events = plan.compactMap(\.event)
        // Every planned event decodes as the contract says, and its key is its subject.
        for r in plan where r.event != nil {
            let decoded = try EventDecoder.any(r.value)
            #expect(decoded == r.event)
            #expect(decoded.subject.id == r.key)
        }
        #expect(plan.filter { $0.event == nil }.count == 2, "two malformed records")
        let kinds = Set(events.map(\.kind))
        #expect(kinds.isSuperset(of: [.faultRepair, .complaint, .report, .consultation, .newConnection, .planned, .fault]))
        let created = events.filter { $0.kind == .faultRepair && $0.action == .created }.count
        #expect((80...160).contains(created), "about 120 fault repairs an hour: \(created)")
        #expect(events.contains { $0.action == .returned }, "misrouted tickets")
        #expect(events.contains { if case .ticket(let e) = $0 { return e.multiUnit == true }; return false }, "multi-unit complaints")
        #expect(events.contains { $0.subject.id == "PO-1" && $0.action == .registered })
    }
}
