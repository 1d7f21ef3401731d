// `slawatch demo`: a development broker, generated traffic, two workers and a live view, for a bounded time.

import Foundation
import Logging
import SLACore
import SLAKafka

/// Runs the whole system on one machine for a while and reports what it did.
///
/// A development broker (librdkafka's mock cluster) starts in-process with slawatch's topics;
/// a generator sends realistic 95598 traffic on an accelerated clock; two workers share the
/// partitions in one consumer group; a monitor reads the output topics back. The view is
/// written every second through `write`; at the end the workers stop gracefully and a summary
/// follows.
public struct DemoRun {
    /// Real seconds to run the traffic for.
    public var seconds = 60
    /// Simulated seconds per real second (60: a minute per second).
    public var speed = 60.0
    /// Fault repairs per simulated hour.
    public var faultRepairsPerHour = 120
    /// The generator's seed: the same seed gives the same traffic.
    public var seed: UInt64 = 1
    /// Simulated start: a Monday morning in Beijing time.
    public var start = RFC3339.parse("2026-11-23T08:00:00+08:00")!.0
    /// Worker instances in the group.
    public var workers = 2
    /// Redraw a table (a terminal) or print a line per second (a pipe).
    public var live = true

    /// A demo with the defaults.
    public init() {}

    static let ticketPartitions = 6, outagePartitions = 3, outcomePartitions = 3, rollupPartitions = 3
    /// The input partitions the workers share.
    var inputPartitions: Int { Self.ticketPartitions + Self.outagePartitions + Self.outcomePartitions }

    /// What a run did, for the summary and tests.
    public struct Report: Sendable {
        public var tally: DemoTally
        public var sent: Int
        public var deadLettered: Int
        public var workerStats: [WorkerStats]
        public var simulatedMinutes: Int
        /// Per-unit numbers read back from the rollups topic after the workers stopped.
        public var scoreboard: DemoScoreboard
    }

    /// Runs the demo; `write` receives the view and progress text.
    public func run(write: @escaping @Sendable (String) -> Void) throws -> Report {
        write("starting the development broker (librdkafka mock cluster, 3 brokers) …\n")
        let broker = try DevBroker(brokers: 3)
        var settings = WorkerSettings()
        settings.groupId = "slawatch-demo"
        settings.commitInterval = .seconds(1)
        for role in TopicRole.allCases {
            // A changelog has its input's partitions (co-partitioned).
            let n: Int
            switch role.restores ?? role {
            case .tickets: n = Self.ticketPartitions
            case .outages: n = Self.outagePartitions
            case .outcomes: n = Self.outcomePartitions
            case .rollups: n = Self.rollupPartitions
            case .deadLetters: n = 1
            default: n = 3
            }
            try broker.createTopic(settings[role], partitions: Int32(n), replicationFactor: 3)
        }
        write("topics created; bootstrap servers \(broker.bootstrapServers)\n")
        // Every client is released inside `session`, before the broker goes: clients that outlive
        // their broker fill the log with connection errors.
        return try withExtendedLifetime(broker) { try session(broker, settings, write) }
    }

    private func session(_ broker: DevBroker, _ settings: WorkerSettings, _ write: @escaping @Sendable (String) -> Void) throws -> Report {
        // Quick group moves and low latency suit a demo on loopback.
        let config = SlawatchConfig(kafka: .localDevelopment(bootstrapServers: broker.bootstrapServers, groupId: settings.groupId),
                                    worker: settings)
        let clock = AcceleratedClock(start: start, factor: speed)
        let policy = try DefaultFiles.policy(), calendar = try DefaultFiles.calendar()
        let pool = try (0..<workers).map { i in
            try SLAWorker(config: config, policy: policy, calendar: calendar, clock: clock, logger: Logger(label: "slawatch.worker.\(i + 1)"))
        }
        for w in pool { try w.start() }
        write("\(workers) workers joining group \(settings.groupId) …\n")
        let joined = Date(timeIntervalSinceNow: 30)
        while !pool.allSatisfy(\.isReady), Date() < joined { Thread.sleep(forTimeInterval: 0.1) }
        let monitor = try DemoMonitor(bootstrapServers: broker.bootstrapServers, topics: [settings.eventsTopic, settings.escalationsTopic])
        // The traffic starts at the next whole simulated minute.
        let t0 = Timestamp(milliseconds: (clock.now().milliseconds / 60_000 + 1) * 60_000)
        var traffic = DemoTraffic(faultRepairsPerHour: faultRepairsPerHour, seed: seed)
        let plan = traffic.plan(from: t0, span: TimeSpan(milliseconds: Int64(Double(seconds) * speed * 1000)))
        let generator = try DemoGenerator(bootstrapServers: broker.bootstrapServers, settings: settings, clock: clock, plan: plan)
        let began = Date()
        while Date().timeIntervalSince(began) < Double(seconds) {
            Thread.sleep(forTimeInterval: 1)
            let elapsed = Int(Date().timeIntervalSince(began))
            let header = "slawatch demo | \(elapsed)/\(seconds) s | simulated \(calendar.format(clock.now()).prefix(16)) | events sent \(generator.sent)/\(plan.count)"
            if live {
                let table = DemoView.table(monitor.tally, header: header)
                // Home and clear, then the table: a steady picture in a terminal.
                write("\u{1B}[H\u{1B}[2J" + table)
            } else {
                write(DemoView.line(monitor.tally, header: header))
            }
        }
        write("stopping: generator, then workers (flush, commit, leave the group) …\n")
        let sent = generator.stop()
        var stats: [WorkerStats] = []
        // One at a time, as an operator stops instances: each hands its partitions to the
        // others, and the last one commits everything.
        let results = SLAWorker.stopInTurn(pool, inputPartitions: inputPartitions) { stats.append($0.stats) }
        for case .failure(let f) in results { throw f }
        // Let the monitor read the last outputs.
        let settle = Date(timeIntervalSinceNow: 3)
        var last = monitor.tally.distinct
        while Date() < settle {
            Thread.sleep(forTimeInterval: 0.5)
            let now = monitor.tally.distinct
            if now == last { break }
            last = now
        }
        monitor.stop()
        let dead = stats.reduce(0) { $0 + $1.deadLettered }
        let board = try DemoScoreboard.read(bootstrapServers: broker.bootstrapServers, topic: settings.rollupsTopic, partitions: Self.rollupPartitions)
        return Report(tally: monitor.tally, sent: sent, deadLettered: dead, workerStats: stats,
                       simulatedMinutes: Int(Double(seconds) * speed / 60), scoreboard: board)
    }

    /// The closing summary.
    public static func summary(_ o: Report) -> String {
        var s = "\n" + DemoView.table(o.tally, header: "slawatch demo summary: \(o.simulatedMinutes) simulated minutes, \(o.sent) input events sent")
        let emitted = o.workerStats.reduce(into: [String: Int]()) { acc, w in for (k, v) in w.emitted { acc[k, default: 0] += v } }
        s += "SLA events published: \(o.tally.distinct) distinct, \(o.tally.repeats) repeats; workers emitted \(emitted.values.reduce(0, +)) (\(emitted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))\n"
        s += "dead-lettered input records: \(o.deadLettered) (malformed on purpose)\n"
        s += "\n" + o.scoreboard.table() + "\n"
        s += "per worker at stop: " + o.workerStats.enumerated().map { "#\($0.offset + 1) consumed \($0.element.consumed), subjects \($0.element.subjects), timers \($0.element.timers)" }.joined(separator: "; ") + "\n"
        return s
    }
}
