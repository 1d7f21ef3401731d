import Testing
@testable import SLACore

/// An outage event its own history contradicts is refused by the tracker and by the outage
/// table alike, in either arrival order, and the state stays what it was.
@Suite struct OutageTimelineTests {
    private let feeders = ["F1"]

    @Test func aRestorationDatedBeforeTheStartIsRefusedInEitherOrder() throws {
        var d = TrackerDriver()
        try d.apply(outage("O1", .fault, .started, "2026-11-20T10:00", estRestoreAt: "2026-11-20T14:00", feeders: feeders))
        let restored = outage("O1", .fault, .restored, "2026-11-20T09:00")
        #expect(throws: EventRejection(field: "occurred_at", "restored at 2026-11-20T01:00:00Z, before the outage started at 2026-11-20T02:00:00Z")) {
            try d.tracker.apply(restored, now: Fixtures.t("2026-11-20T10:30"))
        }
        var table = OutageTable()
        if case .outage(let s) = outage("O1", .fault, .started, "2026-11-20T10:00", estRestoreAt: "2026-11-20T14:00", feeders: feeders) { table.apply(s) }
        if case .outage(let r) = restored {
            #expect(table.apply(r)?.field == "occurred_at")
        }
        // The table still holds the outage active, so a new fault on its feeder is linked.
        #expect(table.activeOutage(feeder: "F1", area: nil, at: Fixtures.t("2026-11-20T11:00")) == "O1")

        // The other order: the restoration first, then a start after it.
        var e = TrackerDriver()
        try e.apply(outage("O2", .fault, .restored, "2026-11-20T09:00"))
        #expect(throws: EventRejection(field: "occurred_at", "started at 2026-11-20T02:00:00Z, after the outage was restored at 2026-11-20T01:00:00Z")) {
            try e.tracker.apply(outage("O2", .fault, .started, "2026-11-20T10:00"), now: Fixtures.t("2026-11-20T10:00"))
        }
    }

    @Test func anEstimateMovedBeforeTheStartIsRefusedAndNoAlarmFires() throws {
        var d = TrackerDriver()
        try d.apply(outage("O1", .planned, .registered, "2026-11-10T09:00", startAt: "2026-11-20T08:00",
                           estRestoreAt: "2026-11-20T18:00", feeders: feeders))
        try d.apply(outage("O1", .planned, .started, "2026-11-20T08:00"))
        let before = d.emitted.count
        // The probe: an update moving the estimate two days before the start.
        #expect(throws: EventRejection(field: "est_restore_at", "2026-11-18T00:00:00Z is before the outage's start_at 2026-11-20T00:00:00Z")) {
            try d.tracker.apply(outage("O1", .planned, .updated, "2026-11-20T09:00", estRestoreAt: "2026-11-18T08:00"), now: Fixtures.t("2026-11-20T09:00"))
        }
        #expect(d.emitted.count == before)
        // The restoration clock still runs to 18:00: nothing is overdue at 12:00.
        d.advance(to: Fixtures.t("2026-11-20T12:00"))
        #expect(!d.events("O1").contains { $0.stage == "outage.restoration" && ($0.type == .overdue || $0.type == .escalated) })
    }

    @Test func anEstimateBeforeTheActualStartIsRefused() throws {
        var d = TrackerDriver()
        try d.apply(outage("O1", .fault, .started, "2026-11-20T10:00", feeders: feeders))
        #expect(throws: EventRejection(field: "est_restore_at", "2026-11-20T01:00:00Z is before the outage started at 2026-11-20T02:00:00Z")) {
            try d.tracker.apply(outage("O1", .fault, .updated, "2026-11-20T10:30", estRestoreAt: "2026-11-20T09:00"), now: Fixtures.t("2026-11-20T10:30"))
        }
    }

    @Test func anUpdateAfterTheRestorationIsRefusedAndARestorationBeforeAnUpdateToo() throws {
        var d = TrackerDriver()
        try d.apply(outage("O1", .fault, .started, "2026-11-20T10:00", estRestoreAt: "2026-11-20T14:00", feeders: feeders))
        try d.apply(outage("O1", .fault, .restored, "2026-11-20T12:00"))
        #expect(throws: EventRejection(field: "action", "updated at 2026-11-20T05:00:00Z, after the outage was restored at 2026-11-20T04:00:00Z")) {
            try d.tracker.apply(outage("O1", .fault, .updated, "2026-11-20T13:00", estRestoreAt: "2026-11-20T15:00"), now: Fixtures.t("2026-11-20T13:00"))
        }
        var e = TrackerDriver()
        try e.apply(outage("O2", .fault, .started, "2026-11-20T10:00", estRestoreAt: "2026-11-20T14:00", feeders: feeders))
        try e.apply(outage("O2", .fault, .updated, "2026-11-20T13:00", estRestoreAt: "2026-11-20T15:00"))
        #expect(throws: EventRejection(field: "occurred_at", "restored at 2026-11-20T04:00:00Z, before the outage's update at 2026-11-20T05:00:00Z")) {
            try e.tracker.apply(outage("O2", .fault, .restored, "2026-11-20T12:00"), now: Fixtures.t("2026-11-20T13:30"))
        }
    }

    @Test func ordinaryHistoriesInAnyOrderAreTaken() throws {
        let events = [
            outage("O1", .planned, .registered, "2026-11-10T09:00", startAt: "2026-11-20T08:00", estRestoreAt: "2026-11-20T18:00", feeders: feeders),
            outage("O1", .planned, .announced, "2026-11-11T09:00"),
            outage("O1", .planned, .started, "2026-11-20T08:05"),
            outage("O1", .planned, .updated, "2026-11-20T12:00", estRestoreAt: "2026-11-20T19:00"),
            outage("O1", .planned, .restored, "2026-11-20T18:30"),
        ]
        for order in [events, events.reversed(), [events[4], events[0], events[2], events[1], events[3]]] {
            var d = TrackerDriver()
            for e in order { try d.apply(e) }
            // A repeat of any of them is a duplicate, not a contradiction.
            for e in order { #expect(try d.tracker.apply(e, now: d.now).disposition == .duplicate) }
        }
    }
}
