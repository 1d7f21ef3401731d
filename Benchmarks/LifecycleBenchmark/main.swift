// A full-lifecycle run through the released binary on a broker in another process, against a
// raw consumer (kcat) reading the same topic from the same broker in the same run (issue 20).
//
// Usage: swift build -c release --product slawatch && swift build -c release --product LifecycleBenchmark
//        .build/release/LifecycleBenchmark [--events N] [--partitions N] [--binary PATH]
//            [--broker dev|noida] [--kafka KEY=VALUE ...] [--worker KEY=VALUE ...] [--worker-log FILE]
//        --broker noida: noida-db (scripts/bootstrap installs it) with the topics made by `slawatch topics create`;
//        --kafka, --worker: extra lines of the worker's configuration; --worker-log: the worker's
//        log (standard output and error) goes to FILE instead of nowhere

import BenchmarkSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SLACore
import SLAKafka
import SLATestSupport

var eventCount = 1_000_000, partitions = 48, binary = ".build/release/slawatch", brokerKind = "dev"
var args = CommandLine.arguments.dropFirst()
// Extra lines of the worker's configuration, to compare settings in the same way.
var extraKafka: [String] = [], extraWorker: [String] = []
var workerLog: String?
while let a = args.popFirst() {
    switch a {
    case "--events": eventCount = Int(args.popFirst() ?? "") ?? { Usage.fail("LifecycleBenchmark", "--events needs a number") }()
    case "--partitions": partitions = Int(args.popFirst() ?? "") ?? { Usage.fail("LifecycleBenchmark", "--partitions needs a number") }()
    case "--binary": binary = args.popFirst() ?? { Usage.fail("LifecycleBenchmark", "--binary needs a path") }()
    case "--broker": brokerKind = args.popFirst().flatMap { ["dev", "noida"].contains($0) ? $0 : nil } ?? { Usage.fail("LifecycleBenchmark", "--broker needs dev or noida") }()
    case "--kafka": extraKafka.append(args.popFirst().flatMap { $0.contains("=") ? $0 : nil } ?? { Usage.fail("LifecycleBenchmark", "--kafka needs KEY=VALUE") }())
    case "--worker-log": workerLog = args.popFirst() ?? { Usage.fail("LifecycleBenchmark", "--worker-log needs a path") }()
    case "--worker": extraWorker.append(args.popFirst().flatMap { $0.contains("=") ? $0 : nil } ?? { Usage.fail("LifecycleBenchmark", "--worker needs KEY=VALUE") }())
    default: Usage.fail("LifecycleBenchmark", "unknown argument \(a) (--events N, --partitions N, --binary PATH, --broker dev|noida, --kafka KEY=VALUE, --worker KEY=VALUE, --worker-log FILE)")
    }
}
guard FileManager.default.isExecutableFile(atPath: binary) else { Usage.fail("LifecycleBenchmark", "\(binary) is not built (swift build -c release --product slawatch)") }
func log(_ s: String) { FileHandle.standardError.write(Data("lifecycle: \(s)\n".utf8)) }

// 1. The broker, a process of its own, with slawatch's topics made from a configuration file.
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-lifecycle-\(UUID())")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let topics = ["95598.tickets", "95598.outages", "slawatch.tickets.changelog", "slawatch.outages.changelog", "95598.sla.events",
              "95598.sla.escalations", "95598.dead-letter", "slawatch.outcomes", "slawatch.rollups.changelog", "slawatch.rollups"]
let topicsFile = dir.appendingPathComponent("topics.yaml").path
try ("topics:\n" + topics.map { "  - { name: \($0), partitions: \(partitions), replication_factor: 1 }\n" }.joined())
    .write(toFile: topicsFile, atomically: true, encoding: .utf8)
let broker = Process(), brokerIn = Pipe(), brokerOut = Pipe()
// noida-db keeps its data on disk and drops nothing; the development broker keeps about 5 MB per partition.
var noida: NoidaBroker?
let bootstrap: String
if brokerKind == "noida" {
    let n = try NoidaBroker()
    noida = n
    bootstrap = n.bootstrapServers
    let topicsConfig = dir.appendingPathComponent("topics-create.yaml").path
    try ("kafka:\n  bootstrap.servers: \"\(bootstrap)\"\n" + (try String(contentsOfFile: topicsFile, encoding: .utf8))).write(toFile: topicsConfig, atomically: true, encoding: .utf8)
    let create = Process()
    create.executableURL = URL(fileURLWithPath: binary)
    create.arguments = ["topics", "create", "--config", topicsConfig]
    create.standardOutput = FileHandle.nullDevice
    try create.run()
    create.waitUntilExit()
    guard create.terminationStatus == 0 else { fatalError("slawatch topics create exited with \(create.terminationStatus)") }
} else {
    broker.executableURL = URL(fileURLWithPath: binary)
    broker.arguments = ["dev-broker", "--brokers", "1", "--topics", topicsFile]
    broker.standardInput = brokerIn
    broker.standardOutput = brokerOut
    try broker.run()
    var line = Data()
    while let b = try brokerOut.fileHandleForReading.read(upToCount: 1), !b.isEmpty, b != Data("\n".utf8) { line.append(b) }
    bootstrap = String(decoding: line, as: UTF8.self)
}
log("\(brokerKind) broker at \(bootstrap)")

// 2. The mix, produced before the worker starts.
let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
var mix = LifecycleMix(seed: 20_261_203, end: now, hours: 6)
mix.generate(events: eventCount)
let tickets = Set(mix.events.lazy.filter { $0.topic == .tickets }.map(\.key)).count
let ticketEvents = mix.events.filter { $0.topic == .tickets }.count
log("\(mix.events.count) events of \(tickets) tickets; producing")
let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrap, "linger.ms": "20", "batch.num.messages": "10000",
                                                      "queue.buffering.max.messages": "2000000"]))
for e in mix.events {
    try producer.send(ProducerRecord(topic: e.topic == .tickets ? "95598.tickets" : "95598.outages", key: Array(e.key.utf8), value: Array(e.json.utf8)),
                      completion: { if case .failure(let err) = $0 { fatalError("produce: \(err)") } })
}
try producer.flush(timeoutMilliseconds: 120_000)

// 3. The raw consumer: kcat reads the tickets topic to its end from the same broker.
/// noida-db 0.2.3 answers a fetch with all it has, past `fetch.max.bytes`: librdkafka refuses a
/// response over `receive.message.max.bytes` (100 MB by default), drops the connection and asks
/// again, for ever (docs/kafka.md). Every client of a run on it takes the largest there is.
let largeResponses = "receive.message.max.bytes=2147483647"
if brokerKind == "noida", !extraKafka.contains(where: { $0.hasPrefix("receive.message.max.bytes=") }) { extraKafka.append(largeResponses) }

let kcatOptions = brokerKind == "noida" ? ["-X", largeResponses] : []

@MainActor func run(_ path: String, _ arguments: [String]) throws -> (seconds: Double, output: String) {
    let p = Process(), out = Pipe()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = path.hasSuffix("kcat") ? kcatOptions + arguments : arguments
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    let t0 = Measure.seconds()
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (Measure.seconds() - t0, String(decoding: data, as: UTF8.self))
}
let raw = try run("/usr/bin/kcat", ["-C", "-b", bootstrap, "-t", "95598.tickets", "-o", "beginning", "-e", "-q", "-f", "%o\n"])
let rawRead = raw.output.split(separator: "\n").count
// librdkafka's mock cluster keeps about 5 MB per partition and drops the oldest records past it
// (rd_kafka_mock_partition_log_append): a run that does not fit would measure a truncated topic.
guard rawRead == ticketEvents else {
    fatalError("kcat read \(rawRead) of \(ticketEvents) records: the development broker keeps about 5 MB per partition; give more --partitions")
}
log("kcat: \(rawRead) records in \(String(format: "%.1f", raw.seconds)) s")

// 4. The worker, as an operator runs it.
let httpPort = LoopbackPort.unused()
let config = dir.appendingPathComponent("slawatch.yaml").path
try """
    kafka:
      bootstrap.servers: "\(bootstrap)"
    \(extraKafka.map { "  \($0.split(separator: "=", maxSplits: 1)[0]): \"\($0.split(separator: "=", maxSplits: 1)[1])\"\n" }.joined())worker:
      group_id: lifecycle
      http_listen: 127.0.0.1:\(httpPort)
    \(extraWorker.map { "  \($0.split(separator: "=", maxSplits: 1)[0]): \($0.split(separator: "=", maxSplits: 1)[1])\n" }.joined())

    """.write(toFile: config, atomically: true, encoding: .utf8)
/// `slawatch run` on the benchmark's configuration, its output discarded.
@MainActor func workerProcess() -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = ["run", "--config", config]
    p.standardOutput = FileHandle.nullDevice
    if let workerLog {
        if !FileManager.default.fileExists(atPath: workerLog) { _ = FileManager.default.createFile(atPath: workerLog, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: workerLog) else { fatalError("cannot write \(workerLog)") }
        h.seekToEndOfFile()
        // Its log is JSON lines on standard output; standard error carries what comes before it.
        p.standardOutput = h
        p.standardError = h
    } else {
        p.standardError = FileHandle.nullDevice
    }
    return p
}
let worker = workerProcess()
let started = Measure.seconds()
try worker.run()

final class Box: @unchecked Sendable { var text = "" }  // written before the semaphore is signalled
func metrics() -> String {
    let done = DispatchSemaphore(value: 0), box = Box()
    URLSession.shared.dataTask(with: URL(string: "http://127.0.0.1:\(httpPort)/metrics")!) { data, _, _ in
        box.text = String(decoding: data ?? Data(), as: UTF8.self); done.signal()
    }.resume()
    done.wait()
    return box.text
}
func value(_ text: String, _ prefix: String) -> Double {
    text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
}
let total = Double(mix.events.count)
var text = ""
var lastProgress = Measure.seconds()
// Bounded: a worker that consumes nothing for this long has stalled, and the run says where.
let stallSeconds = 180.0
var lastConsumed = -1.0, lastChange = Measure.seconds()
while true {
    text = metrics()
    let consumed = value(text, "slawatch_records_consumed_total{topic=\"95598.tickets\"}") + value(text, "slawatch_records_consumed_total{topic=\"95598.outages\"}")
    if consumed >= total { break }
    guard worker.isRunning else { fatalError("the worker stopped") }
    if consumed != lastConsumed { lastConsumed = consumed; lastChange = Measure.seconds() }
    if Measure.seconds() - lastChange > stallSeconds {
        let lagging = text.split(separator: "\n").filter { $0.hasPrefix("slawatch_consumer_lag{") && !$0.hasSuffix(" 0") }
        fatalError("the worker consumed nothing for \(Int(stallSeconds)) s at \(Int(consumed)) of \(Int(total)); partitions behind:\n" + lagging.joined(separator: "\n"))
    }
    if Measure.seconds() - lastProgress > 10 { log("worker: \(Int(consumed)) of \(Int(total)) consumed"); lastProgress = Measure.seconds() }
    usleep(200_000)
}
let workerSeconds = Measure.seconds() - started
/// The worker process's CPU seconds so far, from /proc.
func workerCPU() throws -> Double {
    let stat = try String(contentsOfFile: "/proc/\(worker.processIdentifier)/stat", encoding: .utf8)
    let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
    return (Double(fields[11])! + Double(fields[12])!) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
let cpuAtInput = try workerCPU()
// The rollup stage reads the outcomes the worker wrote, behind the input: the run goes on until
// every outcomes partition that reports a lag reports 0, three times 5 s apart (statistics come
// every 10 s, so two of them at least), so CPU, memory and records include the stage's work.
// (A partition with nothing committed yet may report no lag.) Bounded, like the input.
// The time and CPU are read at the last check that saw the stage consume more outcomes: the
// checks after it are idle waiting (for the lag to be reported, then confirmed), and counting
// them put idle CPU into the figure per input event (one run waited 395 s).
let stageStarted = Measure.seconds()
let outcomesConsumed = "slawatch_records_consumed_total{topic=\"slawatch.outcomes\"}"
var caughtUp = 0
var stageConsumed = value(text, outcomesConsumed)
var lastStageWork = (seconds: 0.0, cpu: cpuAtInput)
while caughtUp < 3 {
    sleep(5)
    text = metrics()
    let lags = text.split(separator: "\n").filter { $0.hasPrefix("slawatch_consumer_lag{") && $0.contains("topic=\"slawatch.outcomes\"") }
    let behind = lags.filter { !$0.hasSuffix(" 0") && !$0.hasSuffix(" 0.0") }
    caughtUp = !lags.isEmpty && behind.isEmpty ? caughtUp + 1 : 0
    let consumedNow = value(text, outcomesConsumed)
    if consumedNow > stageConsumed {
        stageConsumed = consumedNow
        lastStageWork = (Measure.seconds() - stageStarted, try workerCPU())
    }
    guard worker.isRunning else { fatalError("the worker stopped") }
    guard Measure.seconds() - stageStarted < 600 else {
        fatalError("the rollup stage was still behind 600 s after the input (\(lags.count) outcomes partitions reported a lag):\n" + behind.joined(separator: "\n"))
    }
}
let stageSeconds = lastStageWork.seconds
let cpuSeconds = lastStageWork.cpu
// What the worker burns with nothing to do (polls, statistics, the board's reader), over 10 s:
// the figures above still count up to 5 s of it (the checks' interval).
let idleFrom = try workerCPU()
sleep(10)
let idleShare = (try workerCPU() - idleFrom) / 10
let status = try String(contentsOfFile: "/proc/\(worker.processIdentifier)/status", encoding: .utf8)
let rssKB = Double(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }!.split(separator: " ").dropFirst().first!)!

// Produced records: every output topic's end offsets (kcat -Q), after a checkpoint has passed.
sleep(3)
var produced = 0
// Per output topic: records (end offsets) and the mean record size (key + value) of what the
// broker still holds (the development broker may have dropped the oldest of a large topic).
var perTopic: [(topic: String, records: Int, meanBytes: Double)] = []
var perKind: [(topic: String, kind: String, records: Double)] = []
// Records a topic's partitions no longer hold: the development broker drops the oldest past about
// 5 MB per partition, and a consumer of that topic (the rollup stage, for the outcomes) skips them.
var dropped: [(topic: String, records: Int)] = []
for t in topics where !["95598.tickets", "95598.outages"].contains(t) {
    var records = 0
    for p in 0..<partitions {
        let q = try run("/usr/bin/kcat", ["-Q", "-b", bootstrap, "-t", "\(t):\(p):-1"])
        records += Int(q.output.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "") ?? 0
    }
    // Each record's key and value sizes, then its key (keys hold no newline).
    let lines = try run("/usr/bin/kcat", ["-C", "-b", bootstrap, "-t", t, "-o", "beginning", "-e", "-q", "-f", "%K %S %k\n"]).output
        .split(separator: "\n", omittingEmptySubsequences: true)
    var sizes: [Int] = []
    var kinds: [String: Int] = [:]
    for l in lines {
        let parts = l.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        sizes.append(parts.prefix(2).compactMap { Int($0) }.filter { $0 > 0 }.reduce(0, +))
        // What a record is: its key's first field (c, s, y in the rollup changelog; unit, agent, scorecard … in the rollups).
        if parts.count == 3 { kinds[String(parts[2].split(separator: "|", maxSplits: 1).first ?? "-"), default: 0] += 1 }
    }
    produced += records
    if brokerKind == "dev", records > lines.count { dropped.append((t, records - lines.count)) }
    perTopic.append((t, records, sizes.isEmpty ? 0 : Double(sizes.reduce(0, +)) / Double(sizes.count)))
    // Scaled to the end offsets: the broker may have dropped the oldest records.
    if t.hasPrefix("slawatch.rollups"), !lines.isEmpty {
        for (kind, n) in kinds.sorted(by: { $0.key < $1.key }) { perKind.append((t, kind, Double(n) * Double(records) / Double(lines.count))) }
    }
}
// Lateness: the histogram's buckets, p50 and p99 as the bucket bound reached.
var buckets: [(Double, Double)] = []
for l in text.split(separator: "\n") where l.hasPrefix("slawatch_timer_lateness_seconds_bucket") {
    guard let le = l.range(of: "le=\"")?.upperBound, let close = l[le...].firstIndex(of: "\"") else { continue }
    let bound = l[le..<close] == "+Inf" ? Double.infinity : Double(l[le..<close]) ?? 0
    buckets.append((bound, Double(l.split(separator: " ").last ?? "") ?? 0))
}
let merged = Dictionary(buckets, uniquingKeysWith: +).sorted { $0.key < $1.key }
func quantile(_ q: Double) -> String {
    guard let n = merged.last?.value, n > 0 else { return "—" }
    return merged.first { $0.value >= q * n }.map { $0.key.isInfinite ? "> 3600 s" : "≤ \($0.key * 1000) ms" } ?? "—"
}

worker.terminate()
worker.waitUntilExit()

// A restart on the state the first run left: start to ready (every partition's changelog read
// and adopted: tickets, outages and rollups; SIGTERM checkpointed and committed, so no backlog).
let second = workerProcess()
let restartedAt = Measure.seconds()
try second.run()
while value(metrics(), "slawatch_ready ") < 1 {
    guard second.isRunning else { fatalError("the restarted worker stopped") }
    guard Measure.seconds() - restartedAt < 600 else { fatalError("the restarted worker was not ready within 600 s") }
    usleep(100_000)
}
let restartSeconds = Measure.seconds() - restartedAt
// Of which the restores themselves (every assignment's changelog read and adoption).
let restoreSeconds = value(metrics(), "slawatch_restore_duration_seconds_sum")
second.terminate()
second.waitUntilExit()
if let noida { noida.kill9(); try? FileManager.default.removeItem(atPath: noida.dataDir) } else {
    brokerIn.fileHandleForWriting.closeFile()
    broker.waitUntilExit()
}
try? FileManager.default.removeItem(at: dir)

let workerRate = total / workerSeconds, rawRate = Double(rawRead) / raw.seconds
print("""
    lifecycle mix: \(mix.events.count) input events (\(ticketEvents) ticket, \(mix.events.count - ticketEvents) outage) of \(tickets) tickets, \(partitions) partitions, one broker process (\(brokerKind == "noida" ? "noida-db, on disk" : "slawatch dev-broker"))
    | measure | value |
    |---|---|
    | raw consumer (kcat) on the tickets topic | \(Int(rawRate)) events/s |
    | slawatch run, start to every input consumed | \(Int(workerRate)) events/s (\(String(format: "%.1f", workerSeconds)) s) |
    | ratio to the raw consumer | \(String(format: "%.1f %%", workerRate / rawRate * 100)) |
    | the rollup stage caught up (its last outcome consumed, every outcomes partition's lag 0 after it), after the input | \(String(format: "%.1f", stageSeconds)) s |
    | worker CPU per input event, to the stage caught up (to the input consumed) | \(String(format: "%.1f µs (%.1f µs)", cpuSeconds / total * 1e6, cpuAtInput / total * 1e6)) (\(String(format: "%.1f", cpuSeconds)) s) |
    | worker CPU when idle, afterwards | \(String(format: "%.1f %%", idleShare * 100)) of a core |
    | records produced per input event | \(String(format: "%.2f", Double(produced) / total)) (\(produced)) |
    | resident memory per ticket | \(Int(rssKB * 1024 / Double(tickets))) B (\(Int(rssKB / 1024)) MiB) |
    | timer lateness p50 / p99 while draining | \(quantile(0.5)) / \(quantile(0.99)) |
    | restart on that state, start to ready (restore itself) | \(String(format: "%.1f s (%.1f s)", restartSeconds, restoreSeconds)) |

    | output topic | records per input event | mean record bytes | bytes per input event |
    |---|---|---|---|
    \(perTopic.filter { $0.records > 0 }.map { "| \($0.topic) | \(String(format: "%.2f", Double($0.records) / total)) | \(Int($0.meanBytes)) | \(Int(Double($0.records) * $0.meanBytes / total)) |" }.joined(separator: "\n"))

    \(dropped.map { "warning: the broker no longer holds \($0.records) records of \($0.topic) (about 5 MB per partition on the development broker): a consumer of it skipped them\n" }.joined())
    | rollup topic | key's first field | records per input event |
    |---|---|---|
    \(perKind.map { "| \($0.topic) | \($0.kind) | \(String(format: "%.2f", $0.records / total)) |" }.joined(separator: "\n"))
    """)
