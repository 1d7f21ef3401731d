// The benchmark's policy: long clocks as the standing load, short ones as probes, a catch-up stage.

import SLACore

enum BenchPolicy {
    /// Fault repairs: dispatch within 2 h — a million of them stand still during the run.
    /// Complaints: dispatched within 2 s — the probes whose timers fire while the million wait.
    /// Reports: dispatched within 1 min — created an hour ago, the catch-up load.
    static let text = """
        version: "bench"
        stages:
          - id: standing.dispatch
            rule: "2"
            kinds: [fault_repair]
            start: [created]
            stop: [dispatched]
            limit: 2h
          - id: probe.dispatch
            rule: "8"
            kinds: [complaint]
            start: [created]
            stop: [dispatched]
            limit: 2s
          - id: catchup.dispatch
            rule: "10"
            kinds: [report]
            start: [created]
            stop: [dispatched]
            limit: 1m
        """

    static func policy() throws -> Policy { try PolicyLoader.parse(text, file: "bench-policy.yaml") }

    /// A `created` ticket event of a kind, at an instant.
    static func created(_ id: Int, kind: String, at t: Timestamp) -> [UInt8] {
        let at = RFC3339.format(t, offsetSeconds: 8 * 3600)
        let region = ["urban", "rural", "remote"][id % 3]
        return Array(#"{"event_id":"\#(kind)-\#(id)-created","ticket_id":"\#(kind.prefix(1).uppercased())\#(id)","kind":"\#(kind)","action":"created","occurred_at":"\#(at)","unit":"U\#(id % 40)","region":"\#(region)","agent":"A\#(id % 300)","customer_class":"residential","feeder":"F\#(id % 900)"}"#.utf8)
    }
}
