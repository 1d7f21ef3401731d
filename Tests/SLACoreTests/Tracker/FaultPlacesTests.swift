import Testing
@testable import SLACore

/// The place index a restore fills in one go (``SLATracker/restore(_:state:filing:)`` then
/// ``SLATracker/file(_:)``): the held unlinked fault tickets by feeder and area. Expected
/// candidates worked out by hand from the scenario.
@Suite struct FaultPlacesTests {
    /// The state of a fault ticket created on `feeder` and/or `area`.
    static func fault(_ id: String, feeder: String? = nil, area: String? = nil) throws -> SubjectState {
        var d = TrackerDriver()
        try d.apply(ticket(id, .faultRepair, .created, "2026-11-20T08:10", region: .urban, feeder: feeder, area: area))
        return try #require(d.tracker.state(of: SubjectID(.ticket, id)))
    }

    static func ids(_ names: [String]) -> [SubjectID] { names.map { SubjectID(.ticket, $0) } }

    @Test func aBatchRestoreFilesEachUnlinkedFaultUnderTheKeysOfItsLastState() throws {
        var tracker = TrackerDriver().tracker
        // Held before the batch: T5 on F1, which the batch moves to F3.
        tracker.restore(SubjectID(.ticket, "T5"), state: try Self.fault("T5", feeder: "F1"))
        var linked = try Self.fault("T3", feeder: "F1")
        linked.linkedTicket = "T9"
        let complaint: SubjectState = try {
            var d = TrackerDriver()
            try d.apply(ticket("C1", .complaint, .created, "2026-11-20T08:10"))
            return try #require(d.tracker.state(of: SubjectID(.ticket, "C1")))
        }()
        let batch: [(SubjectID, SubjectState)] = [
            (SubjectID(.ticket, "T1"), try Self.fault("T1", feeder: "F1", area: "A1")),
            (SubjectID(.ticket, "T2"), try Self.fault("T2", feeder: "F2")),
            (SubjectID(.ticket, "T3"), linked),                                  // linked: not filed
            (SubjectID(.ticket, "T4"), try Self.fault("T4", area: "A2")),
            (SubjectID(.ticket, "T5"), try Self.fault("T5", feeder: "F3")),      // held: refiled F1 → F3
            (SubjectID(.ticket, "T1"), try Self.fault("T1", feeder: "F1", area: "A1")),  // given twice, same
            (SubjectID(.ticket, "T6"), try Self.fault("T6", feeder: "F1")),
            (SubjectID(.ticket, "T6"), try Self.fault("T6", feeder: "F3")),      // given twice: the last counts
            (SubjectID(.ticket, "C1"), complaint),                               // not a fault: not filed
        ]
        var filing = SLATracker.PlaceFiling()
        for (id, state) in batch { tracker.restore(id, state: state, filing: &filing) }
        // Before the last filing: T5 (held) filed what was gathered before it (T1, T2, T4), and
        // T6's second state filed its first before moving it from F1 to F3.
        #expect(tracker.linkCandidates(feeders: ["F1"], areas: []) == Self.ids(["T1"]))
        #expect(tracker.linkCandidates(feeders: ["F3"], areas: []) == Self.ids(["T5", "T6"]))
        tracker.file(&filing)
        #expect(tracker.subjectIDs.count == 7)
        #expect(tracker.linkCandidates(feeders: ["F1"], areas: []) == Self.ids(["T1"]))
        #expect(tracker.linkCandidates(feeders: ["F2"], areas: []) == Self.ids(["T2"]))
        #expect(tracker.linkCandidates(feeders: ["F3"], areas: []) == Self.ids(["T5", "T6"]))
        #expect(tracker.linkCandidates(feeders: [], areas: ["A1"]) == Self.ids(["T1"]))
        #expect(tracker.linkCandidates(feeders: [], areas: ["A2"]) == Self.ids(["T4"]))
        #expect(tracker.linkCandidates(feeders: ["F2"], areas: ["A1", "A2"]) == Self.ids(["T1", "T2", "T4"]))
        #expect(tracker.unlinkedFaults == Self.ids(["T1", "T2", "T4", "T5", "T6"]))
        // The index goes on from there: T1 dropped leaves F1 and A1 empty.
        tracker.drop(SubjectID(.ticket, "T1"))
        #expect(tracker.linkCandidates(feeders: ["F1"], areas: ["A1"]) == [])
        #expect(tracker.unlinkedFaults == Self.ids(["T2", "T4", "T5", "T6"]))
    }

    @Test func aFilingIsEmptiedByFilingIt() throws {
        var tracker = TrackerDriver().tracker
        var filing = SLATracker.PlaceFiling()
        tracker.restore(SubjectID(.ticket, "T1"), state: try Self.fault("T1", feeder: "F1"), filing: &filing)
        #expect(tracker.unlinkedFaults == [])
        tracker.file(&filing)
        tracker.drop(SubjectID(.ticket, "T1"))
        // Filed once: dropping T1 and filing again does not bring it back.
        tracker.file(&filing)
        #expect(tracker.unlinkedFaults == [] && tracker.subjectIDs.isEmpty)
    }
}
