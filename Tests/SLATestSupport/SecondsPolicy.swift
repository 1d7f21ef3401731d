// A policy whose limits are seconds, so end-to-end tests run in real time and stay quick.

import SLACore

/// The end-to-end tests' policy: fault repairs dispatched within 2 s and on site within 3 s,
/// with a ladder of urge (at the deadline) and supervisor (1 s later); complaints dispatched
/// within 30 s (long enough for partitions to move meanwhile); outages restored by their
/// estimate. Warnings at half the time.
public enum SecondsPolicy {
    /// The policy file's text.
    public static let text = """
        version: "e2e-seconds"
        warn_at: 0.5
        retain_after_close: 1h
        stop_all_on:
          ticket: [closed, cancelled]
          outage: [cancelled]
        stages:
          - id: repair.dispatch
            rule: "2"
            title: Dispatched within 2 seconds
            kinds: [fault_repair]
            start: [created, returned]
            stop: [dispatched]
            skip_if_linked: true
            limit: 2s
            escalation:
              - { at: 0s, level: urge, to: dispatch_desk }
          - id: repair.arrival
            rule: "3"
            title: On site within 3 seconds
            kinds: [fault_repair]
            start: [dispatched]
            stop: [arrived]
            void: [returned]
            skip_if_linked: true
            limit: 3s
            escalation:
              - { at: 0s, level: urge, to: repair_unit }
              - { at: 1s, level: supervisor, to: county_supervisor }
          - id: appeal.dispatch
            rule: "8"
            title: Complaint work order sent within 30 seconds
            kinds: [complaint]
            start: [created, returned]
            stop: [dispatched]
            limit: 30s
            escalation:
              - { at: 0s, level: urge, to: dispatch_desk }
          - id: outage.restoration
            rule: "15"
            title: Restored by the estimate
            kinds: [planned, temporary, fault, arrears, load_shedding, other]
            start: [started]
            stop: [restored]
            due: { at: est_restore_at }
            escalation:
              - { at: 0s, level: urge, to: outage_unit }

        """

    /// The parsed policy.
    public static func policy() throws -> Policy { try PolicyLoader.parse(text, file: "seconds-policy.yaml") }
}
