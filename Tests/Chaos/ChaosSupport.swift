// The harness's options, its sender thread and its reader of the output topics.

import Foundation
import SLACore
import SLAKafka
import SLAService

struct ChaosOptions {
    var mode = "short"
    var tickets = 120
    var sendSeconds = 40
    var faultGap: ClosedRange<Double> = 2...5
    var seed: UInt64 = 1
    var slawatch = ".build/debug/slawatch"
    var write: String?
    /// No faults: the same traffic and workers, as a control run.
    var calm = false

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--short": mode = "short"; tickets = 120; sendSeconds = 40
            case "--long": mode = "long"; tickets = 1500; sendSeconds = 480; faultGap = 3...8
            case "--seed": seed = it.next().flatMap(UInt64.init) ?? seed
            case "--slawatch": slawatch = it.next() ?? slawatch
            case "--write": write = it.next()
            case "--calm": calm = true
            default:
                FileHandle.standardError.write(Data("chaos: unknown argument \(a) (--short, --long, --seed N, --slawatch PATH, --write FILE)\n".utf8))
                exit(64)
            }
        }
    }
}

/// Sends each event when it happens (its `occurred_at`), retrying a failed send.
final class ChaosSender: @unchecked Sendable {
    private let producer: KafkaProducer
    private let topic: String
    private let events: [ChaosScenario.Event]
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failed = 0
    private var acked = 0

    init(bootstrap: String, topic: String, events: [ChaosScenario.Event]) {
        producer = try! KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrap, "linger.ms": "1", "message.timeout.ms": "120000"]))
        self.topic = topic
        self.events = events
    }

    var failures: Int { lock.withLock { failed } }
    /// Events whose delivery the broker acknowledged.
    var acknowledged: Int { lock.withLock { acked } }

    func start() {
        Thread { [self] in
            for e in events {
                let wait = Double(e.at.milliseconds - SystemClock.read().milliseconds) / 1000
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                send(e, attempt: 1)
            }
            try? producer.flush(timeoutMilliseconds: 150_000)
            done.signal()
        }.start()
    }

    private func send(_ e: ChaosScenario.Event, attempt: Int) {
        do {
            try producer.send(ProducerRecord(topic: topic, key: Array(e.key.utf8), value: e.bytes)) { [self] r in
                switch r {
                case .success: lock.withLock { acked += 1 }
                case .failure: lock.withLock { failed += 1 }; if attempt < 5 { send(e, attempt: attempt + 1) }
                }
            }
        } catch {
            lock.withLock { failed += 1 }
        }
    }

    func wait() { done.wait() }
}

/// Reads what the workers published.
struct ChaosReader {
    let bootstrap: String
    let settings: WorkerSettings

    struct Output {
        var eventId: String, type: String, occurredAt: String
        /// What must be equal in a repeat.
        var fingerprint: String
    }

    /// A whole topic, read again from the start when a read fails (a fault injected a moment
    /// ago may still be in the way).
    private func records(_ topic: String, partitions: Int32) throws -> [ConsumerRecord] {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": bootstrap]))
                var out: [ConsumerRecord] = []
                try reader.readToEnd((0..<partitions).map { TopicPartition(topic, $0) }, timeoutMilliseconds: 60_000) { out += $0 }
                return out
            } catch {
                guard attempt < 5 else { throw error }
                FileHandle.standardOutput.write(Data("chaos: reading \(topic) failed (\(error)); again in 2 s\n".utf8))
                Thread.sleep(forTimeInterval: 2)
            }
        }
    }

    private static func json(_ r: ConsumerRecord) -> [String: Any] {
        r.value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] } ?? [:]
    }

    /// The input topic's records.
    func inputs() throws -> [ConsumerRecord] { try records(settings.ticketsTopic, partitions: 6) }

    func outputs() throws -> [Output] {
        try (records(settings.eventsTopic, partitions: 3) + records(settings.escalationsTopic, partitions: 3)).map { r in
            let f = Self.json(r)
            let id = f["event_id"] as? String ?? "?"
            return Output(eventId: id, type: f["type"] as? String ?? "?", occurredAt: f["occurred_at"] as? String ?? "?",
                          fingerprint: "\(f["type"] ?? "")|\(f["deadline"] ?? "")|\(f["occurred_at"] ?? "")|\(f["elapsed_seconds"] ?? "")")
        }
    }

    /// Day cells of the unit view: met / missed / overdue per (day, unit), published against expected.
    func rollupProblems(expected: [SLAEvent], calendar: BusinessCalendar) throws -> [String] {
        var want: [String: [String: Int]] = [:]
        for e in expected {
            let column: String
            switch e.type { case .met: column = "met"; case .missed: column = "missed"; case .overdue: column = "overdue"; default: continue }
            let key = "unit|day|\(RollupWindow.of(e.occurredAt, .day, calendar: calendar).label)|\(e.unit ?? "-")|fault_repair|\(e.stage)|urban"
            want[key, default: [:]][column, default: 0] += 1
        }
        var latest: [String: [String: Any]] = [:]
        for r in try records(settings.rollupsTopic, partitions: 3) { latest[String(decoding: r.key ?? [], as: UTF8.self)] = Self.json(r) }
        var problems: [String] = []
        for (key, columns) in want.sorted(by: { $0.key < $1.key }) {
            guard let got = latest[key] else { problems.append("\(key): no rollup"); continue }
            for c in ["met", "missed", "overdue"] where (got[c] as? Int ?? 0) != (columns[c] ?? 0) {
                problems.append("\(key) \(c): \(got[c] as? Int ?? 0), expected \(columns[c] ?? 0)")
            }
        }
        return problems
    }
}
