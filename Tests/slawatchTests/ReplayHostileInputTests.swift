import Foundation
import Testing

/// `slawatch replay` never crashes: instants outside the accepted years, contradictory outages
/// and oversized fields are located lines and exit 2, and the good lines around them still count.
@Suite struct ReplayHostileInputTests {
    private func line(_ id: String, _ at: String, action: String = "created", extra: String = "") -> String {
        #"{"event_id":"\#(id)-\#(action)","ticket_id":"\#(id)","kind":"fault_repair","action":"\#(action)","occurred_at":"\#(at)","region":"urban","unit":"U1"\#(extra)}"#
    }

    @Test func eventsBefore1971AndAfter9996AreLocatedRefusalsNotACrash() throws {
        let input = [
            line("T0", "1969-12-31T23:00:00+08:00"),             // the probe: SIGILL on main
            line("T1", "0001-01-01T08:05:43+08:00"),
            line("T2", "9999-12-31T23:59:59+08:00"),
            line("T3", "2026-11-20T08:00:00+08:00"),
            line("T3", "2026-11-20T08:03:00+08:00", action: "dispatched"),
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["replay", "--until", "2026-11-20T10:00:00+08:00"], stdin: Data(input.utf8))
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(#"line 1: occurred_at: "1969-12-31T23:00:00+08:00" is too early (accepted: years 1971 to 9996, UTC)"#))
        #expect(r.stderr.contains(#"line 2: occurred_at: "0001-01-01T08:05:43+08:00" is too early"#))
        #expect(r.stderr.contains(#"line 3: occurred_at: "9999-12-31T23:59:59+08:00" is too late"#))
        #expect(r.stderr.contains("5 lines: 2 applied, 0 duplicates, 0 untracked, 3 skipped"))
        // T3: dispatched in time (met), the crew clock started: 45 minutes from 08:03.
        #expect(r.stdout.contains(#""deadline":"2026-11-20T08:48:00+08:00""#))
        #expect(!r.stdout.contains("10000-") && !r.stdout.contains("+08:05"))
    }

    @Test func untilOutsideTheRepresentableYearsIsRefusedBeforeAnyWork() throws {
        let r = try CLI.run(["replay", "--until", "0001-01-01T00:00:00Z"], stdin: Data())
        #expect(r.status != 0 && r.status != 132)
        #expect(r.stderr.contains(#"--until: "0001-01-01T00:00:00Z" is too early (accepted: years 1970 to 9999, UTC)"#))
    }

    @Test func alarmsDueBeforeARefusedLineAreStillPrinted() throws {
        // T1 is never dispatched: its 5-minute dispatch clock is overdue at 08:05. The line at
        // 08:30 moves the clock past it, then the tracker refuses it (T1 is a fault repair, not a
        // complaint): the overdue must still be printed.
        let refused = #"{"event_id":"T1-c","ticket_id":"T1","kind":"complaint","action":"created","occurred_at":"2026-11-20T08:30:00+08:00"}"#
        let input = line("T1", "2026-11-20T08:00:00+08:00") + "\n" + refused + "\n"
        let r = try CLI.run(["replay"], stdin: Data(input.utf8))
        #expect(r.status == 2)
        #expect(r.stderr.contains(#"line 2: kind: "complaint" differs from the ticket's kind "fault_repair""#))
        #expect(r.stdout.contains(#""type":"sla.overdue""#) && r.stdout.contains(#""occurred_at":"2026-11-20T08:05:00+08:00""#))
    }

    @Test func aContradictoryOutageIsALocatedRefusal() throws {
        let o = { (action: String, at: String) in
            #"{"event_id":"O1-\#(action)","outage_id":"O1","kind":"fault","action":"\#(action)","occurred_at":"\#(at)","est_restore_at":"2026-11-20T14:00:00+08:00","feeders":["F1"]}"#
        }
        let input = o("started", "2026-11-20T10:00:00+08:00") + "\n" + o("restored", "2026-11-20T09:00:00+08:00") + "\n"
        let r = try CLI.run(["replay"], stdin: Data(input.utf8))
        #expect(r.status == 2)
        #expect(r.stderr.contains("line 2: occurred_at: restored at 2026-11-20T01:00:00Z, before the outage started at 2026-11-20T02:00:00Z"))
    }
}
