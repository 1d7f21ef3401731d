import Testing
@testable import SLACore

@Suite struct StateCodecTests {
    /// A tracker with a few subjects in interesting states.
    private func populated() throws -> TrackerDriver {
        var d = TrackerDriver()
        try d.apply(outage("O1", .fault, .started, "2026-11-20T13:00", startAt: "2026-11-20T13:00", estRestoreAt: "2026-11-20T16:00", feeders: ["F12"], areas: ["330105"]))
        try d.apply(ticket("L1", .faultRepair, .created, "2026-11-20T13:20", region: .urban, feeder: "F12"))
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T13:30", region: .rural, feeder: "F1", area: "A1"))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T13:31"))
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T13:50"))
        try d.apply(ticket("T1", .faultRepair, .onsiteReported, "2026-11-20T13:55", reportedTo: .county))
        try d.apply(ticket("C1", .complaint, .created, "2026-11-20T14:00", multiUnit: true))
        try d.apply(ticket("N1", .newConnection, .inspectionPassed, "2026-11-20T14:00", customerClass: .hvDual))
        var c = TicketEvent(eventId: "cb", ticketId: "T1", kind: .faultRepair, action: .callback, occurredAt: Fixtures.t("2026-11-20T14:10"))
        c.satisfaction = 4; c.agent = "A9"
        try d.apply(.ticket(c))
        return d
    }

    @Test func roundTripsEverySubject() throws {
        let d = try populated()
        for id in d.tracker.subjectIDs {
            let bytes = try #require(d.tracker.encodedState(of: id))
            let decoded = try StateCodec.decode(bytes, policy: Fixtures.policy)
            let original = d.tracker.state(of: id)!
            #expect(decoded == original, "\(id)")
        }
    }

    /// A state in the version-3 format, written from that format's description (docs/worker.md,
    /// state format 3): no published deadlines, revisions, waiting reasons or files tag.
    private func legacy(_ s: SubjectState, version: UInt8) -> [UInt8] {
        var w = ByteWriter()
        // The header and facts are unchanged since version 2: take them from the current encoding.
        var bare = s
        bare.setMarks([]); bare.scheduledAt = nil; bare.linkedAt = nil
        let current = StateCodec.encode(bare, policy: Fixtures.policy)
        w.byte(version)
        for b in current.dropFirst().dropLast(2 + 1 + 8 + 1 + 1) { w.byte(b) }  // less the link trailer, refusal byte, files tag, due-time byte, mark count 0
        w.varint(UInt64(s.marks.count))
        for m in s.marks {
            w.string(Fixtures.policy.stages[m.stage].id)
            w.signed(m.start)
            w.varint(UInt64(m.bits))
            if let end = m.verdictEnd { w.byte(1); w.signed(end) } else { w.byte(0) }
        }
        if version >= 3 { if let t = s.scheduledAt { w.byte(1); w.signed(t.milliseconds) } else { w.byte(0) } }
        return w.bytes
    }

    @Test func readsVersionTwoAndThreeRecords() throws {
        let d = try populated()
        for id in d.tracker.subjectIDs {
            var state = try #require(d.tracker.state(of: id))
            // What the older formats did not store comes back empty; the next step fills it in.
            state.filesTag = 0
            state.linkedAt = nil
            state.setMarks(state.marks.map { var m = $0; m.deadline = nil; m.revision = 0; m.waiting = nil; m.alarmRevisions = []; return m })
            #expect(try StateCodec.decode(legacy(state, version: 3), policy: Fixtures.policy) == state, "\(id)")
            state.scheduledAt = nil
            #expect(try StateCodec.decode(legacy(state, version: 2), policy: Fixtures.policy) == state, "\(id)")
        }
    }

    @Test func aRestoredTrackerContinuesExactlyAsTheOriginal() throws {
        var original = try populated()
        var restored = TrackerDriver()
        for id in original.tracker.subjectIDs {
            try restored.tracker.restore(id, from: original.tracker.encodedState(of: id)!)
        }
        // Restore at 14:30: fire each subject once to catch up and re-arm, as the worker does
        // after reading its changelog. Together with what follows, the restored tracker must emit
        // exactly what the original emits after the snapshot: nothing lost, nothing twice.
        let before = original.emitted.count
        let later = Fixtures.t("2026-11-30T00:00")
        original.advance(to: later)
        restored.now = Fixtures.t("2026-11-20T14:30")
        for id in restored.tracker.subjectIDs.sorted(by: { $0.id < $1.id }) { restored.carry(restored.tracker.fire(id, now: restored.now).actions) }
        restored.advance(to: later)
        let expected = original.emitted[before...].map(\.eventId)
        let got = restored.emitted.map(\.eventId)
        #expect(got.count == expected.count)
        #expect(Set(got) == Set(expected))
        #expect(expected.count > 5)
        let caughtUp = restored.emitted.filter { $0.occurredAt < Fixtures.t("2026-11-20T14:30") }
        #expect(caughtUp.allSatisfy { $0.detectedAt == Fixtures.t("2026-11-20T14:30") })
    }

    @Test func refusesDamagedBytes() throws {
        let d = try populated()
        let bytes = try #require(d.tracker.encodedState(of: SubjectID(.ticket, "T1")))
        for cut in [0, 1, 5, bytes.count / 2, bytes.count - 1] {
            #expect(throws: StateDecodingError.self) { try StateCodec.decode(Array(bytes.prefix(cut)), policy: Fixtures.policy) }
        }
        #expect(throws: StateDecodingError.self) { try StateCodec.decode(bytes + [0], policy: Fixtures.policy) }
        var wrongVersion = bytes; wrongVersion[0] = 9
        #expect(throws: StateDecodingError(reason: "format version 9, this build reads 2 to 6")) { try StateCodec.decode(wrongVersion, policy: Fixtures.policy) }
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<5_000 {
            var b = bytes
            b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            _ = try? StateCodec.decode(b, policy: Fixtures.policy)
        }
    }

    @Test func dropsMarksOfStagesAPolicyNoLongerHas() throws {
        let d = try populated()
        let bytes = try #require(d.tracker.encodedState(of: SubjectID(.ticket, "C1")))
        var smaller = Fixtures.policy
        smaller.stages.removeAll { $0.id == "appeal.dispatch" }
        let s = try StateCodec.decode(bytes, policy: smaller)
        #expect(s.marks.allSatisfy { smaller.stages[$0.stage].id == "complaint.resolution" })
        #expect(!s.marks.isEmpty)
    }
}
