import Testing
@testable import SLAService

/// The topic-role table against what the worker has always read and written (listed by hand).
@Suite struct TopicRoleTests {
    @Test func everyRoleIsAWorkerKeyThatSetsItsTopic() throws {
        for role in TopicRole.allCases {
            #expect(WorkerSettings.keys.contains(role.key))
            var s = WorkerSettings()
            try s.set(role.key, "t.\(role.key)")
            #expect(s[role] == "t.\(role.key)")
            // Only that one changed.
            #expect(TopicRole.allCases.filter { s[$0] != WorkerSettings()[$0] } == [role])
        }
        var s = WorkerSettings()
        #expect(throws: SettingRefusal.self) { try s.set("rollups_topic", "no spaces") }
    }

    @Test func inputsOutputsAndChangelogsAreTheWorkersOwn() {
        let s = WorkerSettings()
        #expect(s.topics(where: \.isGroupInput) == ["95598.tickets", "95598.outages", "slawatch.outcomes"])
        #expect(Set(s.topics(where: \.isProduced)) == ["slawatch.tickets.changelog", "slawatch.outages.changelog", "95598.sla.events",
                                                       "95598.sla.escalations", "95598.dead-letter", "slawatch.outcomes",
                                                       "slawatch.rollups.changelog", "slawatch.rollups"])
        #expect(TopicRole.allCases.compactMap { r in r.restores.map { "\(r.key) → \($0.key)" } }
                == ["ticket_changelog → tickets_topic", "outage_changelog → outages_topic", "rollup_changelog → outcomes_topic"])
        #expect(s.topics().count == 10 && Set(s.topics()).count == 10)
    }
}
