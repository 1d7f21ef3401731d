// Refuses to start on missing topics or a changelog not co-partitioned with its input.

/// The start-up check of the worker's topics against the cluster's metadata.
struct TopicCheck {
    let settings: WorkerSettings

    /// Throws a ``WorkerFailure`` naming every missing topic, or the first changelog whose
    /// partition count differs from its input's.
    func verify(_ existing: [String: (partitions: Int32, replicationFactor: Int32)]) throws(WorkerFailure) {
        let missing = settings.topics().filter { existing[$0] == nil }
        guard missing.isEmpty else {
            throw WorkerFailure(.topics, "missing topics: \(Array(Set(missing)).sorted().joined(separator: ", ")) (create them with `slawatch topics create --config FILE`)")
        }
        for changelogRole in TopicRole.allCases {
            guard let inputRole = changelogRole.restores else { continue }
            let (input, changelog, inKey, clKey) = (settings[inputRole], settings[changelogRole], inputRole.key, changelogRole.key)
            let i = existing[input]!.partitions, c = existing[changelog]!.partitions
            guard i == c else {
                throw WorkerFailure(.topics, "\(clKey) \(changelog) has \(c) partitions but \(inKey) \(input) has \(i): a changelog must have exactly as many partitions as its input (co-partitioned, same key), so partition p of one restores partition p of the other")
            }
        }
    }
}
