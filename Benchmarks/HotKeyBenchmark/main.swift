// One busy ticket against the rest (issue 22): how long 1 000 ordinary tickets take through one
// worker on the development broker, alone, then behind 20 000 events of one hot ticket — with
// the kept-history cap (`worker.max_history`, 500) and, as the baseline of the same run,
// without it (a cap of 100 000, which the hot ticket never reaches: the behaviour before it).
//
//   swift run -c release HotKeyBenchmark [--hot 20000] [--ordinary 1000] [--write docs/PERFORMANCE.md]

import BenchmarkSupport
import Foundation
import Logging
import SLACore
import SLAKafka
import SLAService

let args = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int { args.firstIndex(of: name).flatMap { Int(args[$0 + 1]) } ?? fallback }
let hot = option("--hot", 20_000)
let ordinary = option("--ordinary", 1_000)
let writeTarget = args.firstIndex(of: "--write").map { args[$0 + 1] }
func log(_ s: String) { FileHandle.standardError.write(Data(("HotKeyBenchmark: " + s + "\n").utf8)) }
LoggingSystem.bootstrap { label in
    var h = StreamLogHandler.standardError(label: label)
    h.logLevel = .critical  // 19 500 dead letters would each log a warning
    return h
}
struct Failure: Error { var reason: String }

/// A ticket event of the hot or an ordinary ticket.
func event(_ ticket: String, _ n: Int, action: String, at t: Timestamp) -> [UInt8] {
    Array(#"{"event_id":"\#(ticket)-\#(n)","ticket_id":"\#(ticket)","kind":"fault_repair","action":"\#(action)","occurred_at":"\#(RFC3339.format(t, offsetSeconds: 8 * 3600))","unit":"U1","region":"urban"}"#.utf8)
}

/// Seconds until one worker (with `maxHistory`) has started the clocks of `ordinary` tickets
/// produced after `hot` events of one ticket; and how many records it dead-lettered.
func run(maxHistory: Int, hot: Int) throws -> (seconds: Double, deadLettered: Int, refused: Int) {
    let broker = try DevBroker(brokers: 1)
    var s = WorkerSettings()
    s.groupId = "hot"
    s.httpListen = nil
    s.maxHistory = maxHistory
    for t in [s.ticketsTopic, s.ticketChangelog] { try broker.createTopic(t, partitions: 4) }
    for t in [s.outagesTopic, s.outageChangelog, s.outcomesTopic, s.rollupChangelog, s.rollupsTopic, s.eventsTopic, s.escalationsTopic, s.deadLetterTopic] {
        try broker.createTopic(t, partitions: 1)
    }
    let config = SlawatchConfig(kafka: KafkaConfig([
        "bootstrap.servers": broker.bootstrapServers, "group.id": s.groupId, "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "300", "linger.ms": "5", "fetch.wait.max.ms": "10", "message.timeout.ms": "120000",
    ]), worker: s)
    let worker = try SLAWorker(config: config, policy: try DefaultFiles.policy(), calendar: try DefaultFiles.calendar())
    try worker.start()
    defer { _ = SLAWorker.stopInTurn([worker], inputPartitions: 4 + 2) }
    let deadline = Date(timeIntervalSinceNow: 60)
    while !worker.isReady { guard Date() < deadline else { throw Failure(reason: "the worker never became ready") }; Thread.sleep(forTimeInterval: 0.05) }
    let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "linger.ms": "5",
                                                          "queue.buffering.max.messages": "1000000"]))
    let now = SystemClock.read()
    let started0 = worker.stats.emitted["sla.started", default: 0]
    let t0 = Measure.seconds()
    // The hot ticket's events first, so its partition holds them ahead of that partition's share of the others.
    for k in 0..<hot {
        try producer.send(ProducerRecord(topic: s.ticketsTopic, key: Array("HOT".utf8),
                                         value: event("HOT", k, action: k == 0 ? "created" : "accepted", at: now.adding(TimeSpan(milliseconds: Int64(k)))))) { _ in }
    }
    for i in 0..<ordinary {
        try producer.send(ProducerRecord(topic: s.ticketsTopic, key: Array("O\(i)".utf8), value: event("O\(i)", 0, action: "created", at: now))) { _ in }
    }
    try producer.flush(timeoutMilliseconds: 120_000)
    // Each ordinary ticket starts one clock (repair.dispatch); the hot one starts one too.
    let want = started0 + ordinary + (hot > 0 ? 1 : 0)
    let limit = Date(timeIntervalSinceNow: 900)
    while worker.stats.emitted["sla.started", default: 0] < want {
        guard Date() < limit else { throw Failure(reason: "the ordinary tickets were not all started within 900 s") }
        Thread.sleep(forTimeInterval: 0.01)
    }
    let seconds = Measure.seconds() - t0
    // Wait for the hot ticket's records too, so the dead-letter count is complete.
    while worker.stats.consumed < hot + ordinary + 0, Date() < limit { Thread.sleep(forTimeInterval: 0.05) }
    let st = worker.stats
    return (seconds, st.deadLettered, st.refusedSubjects)
}

let alone = try run(maxHistory: 500, hot: 0)
log("\(ordinary) ordinary tickets alone: \(String(format: "%.2f", alone.seconds)) s")
let capped = try run(maxHistory: 500, hot: hot)
log("behind \(hot) hot events, max_history 500: \(String(format: "%.2f", capped.seconds)) s, \(capped.deadLettered) dead letters, \(capped.refused) refused")
let uncapped = try run(maxHistory: 100_000, hot: hot)
log("behind \(hot) hot events, no cap reached: \(String(format: "%.2f", uncapped.seconds)) s")

let table = """
    <!-- hotkey:begin -->
    ### One hot ticket against the rest (issue 22)

    One worker, the development broker, 4 ticket partitions: \(ordinary) ordinary fault tickets
    produced alone, then behind \(hot) events of one ticket (the probe of issue 22), with the
    kept-history cap and without reaching it. Seconds from the first record produced until every
    ordinary ticket's clock started (`sla.started` emitted).

    ```sh
    swift run -c release HotKeyBenchmark --write docs/PERFORMANCE.md
    ```

    | run | seconds | against alone |
    |---|---:|---:|
    | \(ordinary) ordinary tickets alone | \(String(format: "%.2f", alone.seconds)) | 1.00× |
    | behind \(hot) hot events, `max_history: 500` (\(capped.refused) ticket refused, \(capped.deadLettered) events dead-lettered) | \(String(format: "%.2f", capped.seconds)) | \(String(format: "%.2f", capped.seconds / alone.seconds))× |
    | behind \(hot) hot events, cap not reached (the behaviour before issue 22) | \(String(format: "%.2f", uncapped.seconds)) | \(String(format: "%.2f", uncapped.seconds / alone.seconds))× |

    <!-- hotkey:end -->

    """
print(table)
if let path = writeTarget {
    try PerformanceDoc.write(table, section: "hotkey", to: path)
    log("wrote \(path)")
}
