import Testing
@testable import SLAService

/// The start-up check of the topics, on metadata written by hand.
@Suite struct TopicCheckTests {
    let settings = WorkerSettings()

    func cluster(_ partitions: [String: Int32]) -> [String: (partitions: Int32, replicationFactor: Int32)] {
        partitions.mapValues { ($0, 3) }
    }

    var complete: [String: Int32] {
        ["95598.tickets": 6, "slawatch.tickets.changelog": 6, "95598.outages": 3, "slawatch.outages.changelog": 3,
         "95598.sla.events": 3, "95598.sla.escalations": 3, "95598.dead-letter": 1, "slawatch.outcomes": 4,
         "slawatch.rollups.changelog": 4, "slawatch.rollups": 2]
    }

    /// The failure the check throws on this metadata, or nil when it passes.
    func failure(_ partitions: [String: Int32]) -> WorkerFailure? {
        do throws(WorkerFailure) { try TopicCheck(settings: settings).verify(cluster(partitions)); return nil } catch { return error }
    }

    @Test func passesEveryTopicPresentAndCoPartitioned() throws {
        try TopicCheck(settings: settings).verify(cluster(complete))
    }

    @Test func namesEveryMissingTopic() {
        var c = complete
        c["slawatch.rollups"] = nil; c["95598.dead-letter"] = nil
        let error = failure(c)
        #expect(error?.kind == .topics)
        #expect(error?.description.hasPrefix("missing topics: 95598.dead-letter, slawatch.rollups (create them with") == true)
    }

    @Test func refusesAChangelogWithOtherPartitionsThanItsInput() {
        var c = complete
        c["slawatch.rollups.changelog"] = 5
        let error = failure(c)
        #expect(error?.kind == .topics)
        #expect(error?.description.hasPrefix("rollup_changelog slawatch.rollups.changelog has 5 partitions but outcomes_topic slawatch.outcomes has 4") == true)
    }
}
