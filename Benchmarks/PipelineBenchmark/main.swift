// End-to-end benchmarks of the worker, each beside a baseline in the same run (release build):
//
//   swift run -c release PipelineBenchmark [--tickets 1000000] [--catch-up 100000] [--write docs/PERFORMANCE.md]
//       [--memory 1000000,5000000] [--standing 10000000] [--phases decode,memory,broker,catch-up,standing]
//
// 1. decode: slawatch's event decoder against Foundation's JSONSerialization on the same events;
// 2. memory: resident bytes per active ticket (tracker state + a wheel timer each), at each
//    size of `--memory` (default: `--tickets`);
// 3. throughput: a raw consumer, then one worker, over the same ticket events on the
//    development broker — the worker decodes, tracks, arms a timer, emits `sla.started`,
//    writes the changelog and commits;
// 4. restore: a new worker takes the partitions over and restores every ticket from the changelog;
// 5. lateness: with those tickets' clocks standing, probe clocks due in 2 s fire at a steady
//    rate; fired − deadline of each, against a DispatchQueue.asyncAfter timer for the same deadline;
// 6. catch-up: tickets whose deadlines passed while no worker ran, emitted through the
//    catch-up gate at `catch_up_rate`;
// 7. standing clocks: `--standing` fault-repair clocks held in the owner's tables in memory (no
//    broker), then probes applied and fired on the owner's queue — lateness with 10 000 000
//    clocks standing, and the owner's tables' bytes per ticket at that size.

import BenchmarkSupport
import Dispatch
import Foundation
import Logging
import Metrics
import SLACore
import SLAKafka
import SLAService

let args = CommandLine.arguments
let valued: Set = ["--tickets", "--catch-up", "--catch-up-rate", "--probe-rate", "--probe-seconds", "--write", "--memory", "--standing", "--phases"]
let allPhases = ["decode", "memory", "broker", "catch-up", "standing"]
do {  // a mistyped option would otherwise run the whole benchmark with its defaults
    var i = 1
    while i < args.count {
        if valued.contains(args[i]), i + 1 < args.count { i += 2; continue }
        if args[i] == "--verbose" { i += 1; continue }
        FileHandle.standardError.write(Data("PipelineBenchmark: unknown or incomplete option \(args[i]) (options: \(valued.sorted().joined(separator: " ")) --verbose)\n".utf8))
        exit(2)
    }
}
func option(_ name: String, _ fallback: Int) -> Int { args.firstIndex(of: name).flatMap { Int(args[$0 + 1]) } ?? fallback }
let tickets = option("--tickets", 1_000_000)
let catchUp = option("--catch-up", 100_000)
let catchUpRate = option("--catch-up-rate", 20_000)
let probeRate = option("--probe-rate", 1_000)
let probeSeconds = option("--probe-seconds", 10)
let writeTarget = args.firstIndex(of: "--write").map { args[$0 + 1] }
let memorySizes = args.firstIndex(of: "--memory").map { args[$0 + 1].split(separator: ",").compactMap { Int($0) } } ?? [tickets]
let standing = option("--standing", 10_000_000)
let phases = Set(args.firstIndex(of: "--phases").map { args[$0 + 1].split(separator: ",").map(String.init) } ?? allPhases)
if let bad = phases.first(where: { !allPhases.contains($0) }) {
    FileHandle.standardError.write(Data("PipelineBenchmark: no phase \(bad) (phases: \(allPhases.joined(separator: ",")))\n".utf8))
    exit(2)
}
let verbose = args.contains("--verbose")  // the worker's own info lines too (the restore's read/adopt split, …)

func log(_ s: String) { FileHandle.standardError.write(Data(("PipelineBenchmark: " + s + "\n").utf8)) }
func rate(_ n: Int, _ seconds: Double) -> String {
    let r = Double(n) / seconds
    return r >= 1e6 ? String(format: "%.2f M/s", r / 1e6) : String(format: "%.0f k/s", r / 1e3)
}
func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
/// A lateness row: p50 / p99 / max of ours against Dispatch's, from unsorted seconds.
func latenessRow(_ figure: String, ours: [Double], dispatch: [Double]) -> (String, String, String, String) {
    func summary(_ values: [Double]) -> String {
        let v = values.sorted()
        func pct(_ q: Double) -> Double { v[min(v.count - 1, Int(Double(v.count) * q))] }
        return "\(ms(pct(0.5))) / \(ms(pct(0.99))) / \(ms(v.last!))"
    }
    return (figure, summary(ours), summary(dispatch) + " (DispatchQueue.asyncAfter)", "target p99 ≤ 10 ms")
}

let lateness = LatenessCapture()
MetricsSystem.bootstrap(lateness)
LoggingSystem.bootstrap { label in
    var h = StreamLogHandler.standardError(label: label)
    h.logLevel = verbose ? .info : .warning
    return h
}
let policy = try BenchPolicy.policy()
let calendar = try DefaultFiles.calendar()
var rows: [(String, String, String, String)] = []  // figure, slawatch, baseline, ratio / target

// --- 1. Decode ---------------------------------------------------------------------------------
if phases.contains("decode") {
    let now = SystemClock.read()
    let events = (0..<tickets).map { BenchPolicy.created($0, kind: "fault_repair", at: now) }
    log("decode: \(tickets) events of \(events.reduce(0) { $0 + $1.count } / tickets) bytes")
    var decoded = 0
    let ours = Measure.time { for e in events { if (try? EventDecoder.ticket(e)) != nil { decoded += 1 } } }
    var parsed = 0
    let foundation = Measure.time {
        for e in events {
            if let o = try? JSONSerialization.jsonObject(with: Data(e)) as? [String: Any], o["ticket_id"] is String { parsed += 1 }
        }
    }
    precondition(decoded == tickets && parsed == tickets)
    rows.append(("decode, events/s on one core", rate(tickets, ours), rate(tickets, foundation) + " (JSONSerialization, no validation)",
                 String(format: "%.2f×", foundation / ours)))
}

// --- 2. Memory per active ticket ----------------------------------------------------------------
for size in phases.contains("memory") ? memorySizes : [] {
    let now = SystemClock.read()
    var tracker = SLATracker(policy: policy, calendar: calendar)
    var wheel = TimingWheel<UInt32>(now: now.milliseconds)
    // The timer table the worker and replay keep (a subject's slot is the wheel's payload).
    var slots = SubjectSlots()
    let before = Measure.residentBytes()
    for i in 0..<size {
        if i > 0, i % 1_000_000 == 0 { log("memory: \(i) of \(size) tickets") }
        let e = try EventDecoder.ticket(BenchPolicy.created(i, kind: "fault_repair", at: now))
        let step = try tracker.apply(.ticket(e), now: now)
        for case .schedule(let id, let at) in step.actions {
            slots.arm(id, cancel: { wheel.cancel($0) }, schedule: { wheel.schedule(at: at.milliseconds, $0) })
        }
    }
    let perTicket = Double(Measure.residentBytes() - before) / Double(size)
    precondition(tracker.count == size && slots.count == size && wheel.count == size)
    log("memory: \(tracker.count) tickets, \(String(format: "%.0f", perTicket)) bytes each")
    rows.append(("resident memory per active ticket at \(size) (tracker state, wheel timer, slot table)", String(format: "%.0f B", perTicket), "—", "target ≤ 256 B"))
    withExtendedLifetime((tracker, wheel, slots)) {}
}

// --- 3–5. The worker on the development broker --------------------------------------------------
final class RestoreWatch: WorkerObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var restored: [Int] = []
    var milliseconds: [Int] { lock.withLock { restored } }
    func workerRestored(_ partitions: [TopicPartition], milliseconds: Int) { lock.withLock { restored.append(milliseconds) } }
    func workerLoopTurned() {}
    func workerRestoring(_ partitions: [TopicPartition]) {}
    func workerRevoked(_ partitions: [TopicPartition]) {}
    func workerStatus(_ stats: WorkerStats) {}
    func workerCommitted(milliseconds: Int) {}
    func workerStopping() {}
}

func cluster(partitions: Int32) throws -> (DevBroker, SlawatchConfig) {
    let broker = try DevBroker(brokers: 1)
    var s = WorkerSettings()
    s.groupId = "bench"
    s.commitInterval = .seconds(1)
    s.batchSize = 5000
    s.catchUpRate = catchUpRate
    s.httpListen = nil
    for t in [s.ticketsTopic, s.ticketChangelog] { try broker.createTopic(t, partitions: partitions) }
    for t in [s.outagesTopic, s.outageChangelog, s.outcomesTopic, s.rollupChangelog, s.rollupsTopic, s.eventsTopic, s.escalationsTopic, s.deadLetterTopic] {
        try broker.createTopic(t, partitions: 1)
    }
    let config = SlawatchConfig(kafka: KafkaConfig([
        "bootstrap.servers": broker.bootstrapServers, "group.id": s.groupId, "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "300", "linger.ms": "5", "fetch.wait.max.ms": "10", "message.timeout.ms": "120000",
    ]), worker: s)
    return (broker, config)
}

func produce(_ config: SlawatchConfig, _ records: [(String, [UInt8])]) throws -> Double {
    let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": config.kafka["bootstrap.servers"]!, "linger.ms": "20",
                                                          "batch.num.messages": "1000", "queue.buffering.max.messages": "2000000",
                                                          "queue.buffering.max.kbytes": "2000000"]))
    let failed = FailureCount()
    let t0 = Measure.seconds()
    for (k, v) in records {
        try producer.send(ProducerRecord(topic: config.worker.ticketsTopic, key: Array(k.utf8), value: v)) { r in
            if case .failure(let e) = r { failed.add("\(e)") }
        }
    }
    try producer.flush(timeoutMilliseconds: 300_000)
    guard failed.count == 0 else { throw BenchError("\(failed.count) records not delivered, e.g. \(failed.first ?? "")") }
    return Measure.seconds() - t0
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = "benchmark: " + d }
}

final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    private var example: String?
    func add(_ e: String) { lock.withLock { n += 1; if example == nil { example = e } } }
    var count: Int { lock.withLock { n } }
    var first: String? { lock.withLock { example } }
}

final class RawListener: RebalanceListener, @unchecked Sendable {
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) { try? consumer.resume(partitions) }
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {}
}

func waitFor(_ seconds: Double, _ what: String, _ condition: () -> Bool) throws {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while !condition() {
        guard Date() < deadline else { throw BenchError("\(what) did not happen within \(seconds) s") }
        Thread.sleep(forTimeInterval: 0.01)
    }
}

if phases.contains("broker") {
    // librdkafka's mock broker keeps at most 5 MB per partition (older records are dropped):
    // 12 000 records of ~330 bytes (≈ 4 MB) per partition, so neither the input nor the changelog loses any.
    let partitions = Int32(max(6, (tickets + 11_999) / 12_000))
    let (broker, config) = try cluster(partitions: partitions)
    let base = SystemClock.read()
    let records = (0..<tickets).map { ("F\($0)", BenchPolicy.created($0, kind: "fault_repair", at: base)) }
    let produced = try produce(config, records)
    log("throughput: \(tickets) ticket events produced in \(String(format: "%.1f", produced)) s")

    // Baseline: a consumer in its own group that only counts what it reads.
    var raw = KafkaConfig(config.kafka.properties)
    raw["group.id"] = "raw-baseline"
    raw["auto.offset.reset"] = "earliest"
    let rawConsumer = try KafkaConsumer(config: raw, listener: RawListener())
    try rawConsumer.subscribe([config.worker.ticketsTopic])
    var read = 0, rawFirst = 0.0, rawBytes = 0, lastNote = Measure.seconds()
    while read < tickets {
        let batch = try rawConsumer.poll(maxRecords: 5000, timeoutMilliseconds: 100)
        if Measure.seconds() - lastNote > 5 { log("throughput: raw consumer has read \(read)"); lastNote = Measure.seconds() }
        if read == 0, !batch.isEmpty { rawFirst = Measure.seconds() }
        read += batch.count
        rawBytes += batch.reduce(0) { $0 + ($1.value?.count ?? 0) }
    }
    let rawSeconds = Measure.seconds() - rawFirst
    try rawConsumer.close()
    log("throughput: raw consumer read \(read) in \(String(format: "%.2f", rawSeconds)) s")

    // slawatch: one worker over the same records.
    let worker = try SLAWorker(config: config, policy: policy, calendar: calendar)
    try worker.start()
    try waitFor(120, "the worker's first record") { worker.stats.consumed > 0 }
    let workerFirst = Measure.seconds(), cpuFirst = Measure.cpuSeconds()
    try waitFor(1800, "the worker consuming every record") { worker.stats.consumed >= tickets }
    let workerSeconds = Measure.seconds() - workerFirst
    log("throughput: the worker used \(String(format: "%.0f", (Measure.cpuSeconds() - cpuFirst) / workerSeconds * 100)) % CPU (100 % = one core)")
    let s = worker.stats
    log("throughput: worker consumed \(s.consumed) in \(String(format: "%.2f", workerSeconds)) s; subjects \(s.subjects), timers \(s.timers)")
    rows.append(("end to end, ticket events/s (one worker, \(tickets) events, \(partitions) partitions)", rate(tickets, workerSeconds),
                 rate(tickets, rawSeconds) + " (raw consumer)", String(format: "%.0f %% of raw (target ≥ 50 %%)", rawSeconds / workerSeconds * 100)))
    if case .failure(let f) = SLAWorker.stopInTurn([worker], inputPartitions: Int(partitions) + 2).first ?? .success(()) { throw f }

    // Restore: a new worker takes every partition over from the changelog.
    let watch = RestoreWatch()
    let second = try SLAWorker(config: config, policy: policy, calendar: calendar)
    second.add(observer: watch)
    let restoreStart = Measure.seconds()
    try second.start()
    try waitFor(600, "the restore of \(tickets) tickets") { second.isReady && second.stats.subjects >= tickets }
    let restoreWall = Measure.seconds() - restoreStart
    let restoreMs = watch.milliseconds.reduce(0, +)
    log("restore: \(second.stats.subjects) subjects in \(restoreMs) ms of restore (\(String(format: "%.1f", restoreWall)) s from start)")
    rows.append(("restore of \(tickets) tickets from the changelog", String(format: "%.1f s", Double(restoreMs) / 1000),
                 String(format: "%.1f s", restoreWall) + " (start to ready, group join included)", "target ≤ 10 s"))

    // Lateness: probes due 2 s after creation, at a steady rate, while the million stand.
    lateness.record(true)
    let baseline = LatenessBaseline()
    let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": config.kafka["bootstrap.servers"]!, "linger.ms": "1"]))
    let probes = probeRate * probeSeconds
    let probeStart = Measure.seconds()
    for i in 0..<probes {
        let due = probeStart + Double(i) / Double(probeRate)
        let wait = due - Measure.seconds()
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let now = SystemClock.read()
        try producer.send(ProducerRecord(topic: config.worker.ticketsTopic, key: Array("C\(i)".utf8), value: BenchPolicy.created(i, kind: "complaint", at: now))) { _ in }
        baseline.arm(deadline: now.adding(.seconds(2)))
    }
    try producer.flush(timeoutMilliseconds: 30_000)
    try waitFor(30, "every probe firing") { lateness.recorded.count >= probes && baseline.count >= probes }
    lateness.record(false)
    log("lateness: \(lateness.recorded.count) probe firings with \(second.stats.subjects) clocks active")
    rows.append(latenessRow("timer lateness p50 / p99 / max (\(probes) probes at \(probeRate)/s, \(tickets) clocks active)",
                            ours: lateness.recorded, dispatch: baseline.values))
    if case .failure(let f) = SLAWorker.stopInTurn([second], inputPartitions: Int(partitions) + 2).first ?? .success(()) { throw f }
    withExtendedLifetime(broker) {}
}

// --- 6. Catch-up ---------------------------------------------------------------------------------
if phases.contains("catch-up") {
    let partitions = Int32(max(6, (catchUp + 11_999) / 12_000))
    let (broker, config) = try cluster(partitions: partitions)
    // Created an hour ago with a 1-minute clock, while no worker ran: all overdue at restore.
    let hourAgo = SystemClock.read().adding(.hours(-1))
    _ = try produce(config, (0..<catchUp).map { ("R\($0)", BenchPolicy.created($0, kind: "report", at: hourAgo)) })
    let worker = try SLAWorker(config: config, policy: policy, calendar: calendar)
    let start = Measure.seconds()
    try worker.start()
    try waitFor(120, "the worker's first record") { worker.stats.consumed > 0 }
    let first = Measure.seconds()
    try waitFor(600, "\(catchUp) overdue events") { worker.stats.emitted["sla.overdue", default: 0] >= catchUp }
    let seconds = Measure.seconds() - first
    let bound = Double(catchUp) / Double(catchUpRate)
    log("catch-up: \(catchUp) overdue in \(String(format: "%.2f", seconds)) s (bound \(bound) s; \(String(format: "%.1f", first - start)) s to join)")
    rows.append(("catch-up: \(catchUp) deadlines passed while no worker ran, catch_up_rate \(catchUpRate)/s",
                 String(format: "%.2f s", seconds), String(format: "%.2f s (catch_up_rate bound)", bound),
                 String(format: "%.2f× the bound (≥ 1: within the limit)", seconds / bound)))
    if case .failure(let f) = SLAWorker.stopInTurn([worker], inputPartitions: Int(partitions) + 2).first ?? .success(()) { throw f }
    withExtendedLifetime(broker) {}
}

// --- 7. Standing clocks in memory ----------------------------------------------------------------
if phases.contains("standing"), standing > 0 {
    let before = Measure.residentBytes()
    let owner = StandingClocks(policy: policy, calendar: calendar)
    let now = SystemClock.read()
    let t0 = Measure.seconds()
    for start in stride(from: 0, to: standing, by: 500_000) {
        try owner.stand(start..<min(standing, start + 500_000), now: now)
        log("standing: \(min(standing, start + 500_000)) of \(standing) clocks (\(String(format: "%.0f", Measure.seconds() - t0)) s)")
    }
    precondition(owner.count == standing)
    let perTicket = Double(Measure.residentBytes() - before) / Double(standing)
    rows.append(("resident memory per ticket at \(standing), the owner's tables (tracker, slot table, wheel driver, partition map)",
                 String(format: "%.0f B", perTicket), "—", "target ≤ 256 B"))
    // Probes due 2 s after creation, at a steady rate, against Dispatch timers for the same deadlines.
    owner.record(true)
    let baseline = LatenessBaseline()
    let probes = probeRate * probeSeconds
    let probeStart = Measure.seconds()
    for i in 0..<probes {
        let wait = probeStart + Double(i) / Double(probeRate) - Measure.seconds()
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let at = SystemClock.read()
        owner.probe(i, at: at)
        baseline.arm(deadline: at.adding(.seconds(2)))
    }
    try waitFor(30, "every probe firing") { owner.recorded.count >= probes && baseline.count >= probes }
    owner.record(false)
    owner.stop()
    log("standing: \(owner.recorded.count) probe firings with \(owner.count) clocks standing")
    rows.append(latenessRow("timer lateness p50 / p99 / max (\(probes) probes at \(probeRate)/s, \(standing) clocks standing in memory, no broker)",
                            ours: owner.recorded, dispatch: baseline.values))
    withExtendedLifetime(owner) {}
}

// --- Report --------------------------------------------------------------------------------------
let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n").first { $0.hasPrefix("model name") }
    .map { $0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
var table = """
    <!-- pipeline:begin -->
    ### End to end (issue 8)

    Measured \(ISO8601DateFormatter().string(from: Date())) on \(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu)), release build:

    ```sh
    swift run -c release PipelineBenchmark --write docs/PERFORMANCE.md
    ```

    | figure | slawatch | baseline (same run) | ratio / target |
    |---|---:|---:|---:|

    """
for r in rows { table += "| \(r.0) | \(r.1) | \(r.2) | \(r.3) |\n" }
table += "<!-- pipeline:end -->\n"
print(table)
if let path = writeTarget {
    try PerformanceDoc.write(table, section: "pipeline", to: path)
    log("wrote \(path)")
}
