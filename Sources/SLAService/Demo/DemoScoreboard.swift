// The demo's per-unit assessment, read back from the rollups topic as a reporting service would.

import Foundation
import SLACore
import SLAKafka

/// Per unit: the month's verdicts, on-time rate and volumes (受理 / 处理 / 答复) summed over its
/// month rollup cells, its scorecard, rank and yearly stars — all taken from the latest record
/// per key of the rollups topic.
public struct DemoScoreboard: Sendable, Equatable {
    /// One unit's line.
    public struct Unit: Sendable, Equatable {
        public var unit: String
        public var met = 0, missed = 0, overdue = 0, callbacks = 0, closed = 0
        /// Tickets received (受理), handled (处理) and answered (答复), once each.
        public var received = 0, handled = 0, answered = 0
        /// The year's stars (1–5) so far; nil when no month of it was graded.
        public var stars: Int?
        public var score: Double?
        public var grade: String?
        public var assessed = false
        /// Whether the scorecard graded the unit (enough verdicts).
        public var graded = false
        /// Rank by score among the month's graded units (1 = best; ties share); nil when not graded.
        public var rank: Int?
        /// met ÷ (met + missed); nil without verdicts.
        public var onTimeRate: Double? { met + missed == 0 ? nil : Double(met) / Double(met + missed) }
        /// 处理率 and 答复率: handled and answered ÷ received; nil without tickets received.
        public var handledRate: Double? { received == 0 ? nil : Double(handled) / Double(received) }
        public var answeredRate: Double? { received == 0 ? nil : Double(answered) / Double(received) }
    }

    /// By unit name, sorted.
    public private(set) var units: [Unit] = []
    /// Rollup records read (latest per key).
    public private(set) var records = 0

    /// Builds the board from the latest JSON value per key of the rollups topic.
    public init(latest: [String: [String: Any]]) {
        records = latest.count
        var byUnit: [String: Unit] = [:]
        for (_, f) in latest {
            guard let unit = f["unit"] as? String else { continue }
            var u = byUnit[unit] ?? Unit(unit: unit)
            if f["record"] as? String == "scorecard" {
                u.score = f["score"] as? Double ?? (f["score"] as? Int).map(Double.init)
                u.grade = f["grade"] as? String
                u.assessed = f["assessed"] as? Bool ?? false
                u.graded = f["graded"] as? Bool ?? true
            } else if f["record"] as? String == "stars" {
                u.stars = f["stars"] as? Int
            } else if f["view"] as? String == "unit", f["grain"] as? String == "month" {
                u.met += f["met"] as? Int ?? 0; u.missed += f["missed"] as? Int ?? 0; u.overdue += f["overdue"] as? Int ?? 0
                u.callbacks += f["callbacks"] as? Int ?? 0; u.closed += f["closed"] as? Int ?? 0
                u.received += f["received"] as? Int ?? 0; u.handled += f["handled"] as? Int ?? 0; u.answered += f["answered"] as? Int ?? 0
            } else {
                continue
            }
            byUnit[unit] = u
        }
        // The ranking (排名) as a reporting service computes it from every unit's scorecard.
        let scores = byUnit.values.filter { $0.graded }.compactMap(\.score)
        for (name, u) in byUnit where u.graded {
            if let s = u.score { byUnit[name]?.rank = Ranking.rank(of: s, among: scores) }
        }
        units = byUnit.values.sorted { $0.unit < $1.unit }
    }

    /// Reads the rollups topic to its end and keeps the latest record per key (as compaction would).
    static func read(bootstrapServers: String, topic: String, partitions: Int) throws -> DemoScoreboard {
        let reader = try PartitionReader(config: KafkaConfig.localDevelopment(bootstrapServers: bootstrapServers, groupId: "slawatch-demo-report").readerRole)
        var latest: [String: [String: Any]] = [:]
        try reader.readToEnd((0..<Int32(partitions)).map { TopicPartition(topic, $0) }) { batch in
            for r in batch {
                guard let key = r.key, let v = r.value, let o = try? JSONSerialization.jsonObject(with: Data(v)) as? [String: Any] else { continue }
                latest[String(decoding: key, as: UTF8.self)] = o
            }
        }
        return DemoScoreboard(latest: latest)
    }

    /// The table of the summary.
    public func table() -> String {
        var lines = ["per unit this month, from the rollups topic (\(records) rollup records):"]
        lines.append(DemoView.pad("unit", 18) + DemoView.pad("met", 6, right: true) + DemoView.pad("missed", 8, right: true)
                     + DemoView.pad("overdue", 9, right: true) + DemoView.pad("on time", 9, right: true) + DemoView.pad("callbacks", 11, right: true)
                     + DemoView.pad("received", 10, right: true) + DemoView.pad("handled", 9, right: true) + DemoView.pad("answered", 10, right: true)
                     + DemoView.pad("score", 8, right: true) + DemoView.pad("rank", 6, right: true) + DemoView.pad("stars", 7, right: true) + "  grade")
        for u in units {
            let callbacks = u.closed == 0 ? "-" : "\(u.callbacks)/\(u.closed)"
            lines.append(DemoView.pad(u.unit, 18) + DemoView.pad("\(u.met)", 6, right: true) + DemoView.pad("\(u.missed)", 8, right: true)
                         + DemoView.pad("\(u.overdue)", 9, right: true) + DemoView.pad(DemoView.percent(u.onTimeRate), 9, right: true)
                         + DemoView.pad(callbacks, 11, right: true) + DemoView.pad("\(u.received)", 10, right: true)
                         + DemoView.pad(DemoView.percent(u.handledRate), 9, right: true) + DemoView.pad(DemoView.percent(u.answeredRate), 10, right: true)
                         + DemoView.pad(u.score.map { String(format: "%.1f", $0) } ?? "-", 8, right: true)
                         + DemoView.pad(u.rank.map(String.init) ?? "-", 6, right: true)
                         + DemoView.pad(u.stars.map { "\($0)★" } ?? "-", 7, right: true)
                         + "  " + (u.grade ?? "-") + (u.assessed ? " (to be assessed)" : ""))
        }
        if units.isEmpty { lines.append("(no rollups yet)") }
        // 受理率 has no column: every ticket that reaches slawatch is one the centre accepted (docs/assessment.md).
        lines.append("received = 受理 (every ticket is one accepted), handled = 处理率, answered = 答复率 (÷ received); stars = the year so far (星级)")
        return lines.joined(separator: "\n") + "\n"
    }
}
