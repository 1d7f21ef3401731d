// The chaos harness: a development broker, three worker processes, live traffic, and faults —
// kill -9 and restart, a broker down and up, leader changes, injected request errors, a
// worker added and removed — then every published event counted against what the clocks
// must publish.
//
//   scripts/chaos [--short | --long] [--seed N] [--write docs/RELIABILITY.md]
//   (swift run ChaosHarness --slawatch .build/debug/slawatch …)
//
// Exit 0 when nothing is missing, nothing unexpected, every repeat identical and the rollups
// equal the expected numbers; 1 otherwise, with the differences.

import Foundation
import Logging
import SLACore
import SLAKafka
import SLAService

let options = ChaosOptions(CommandLine.arguments)
// The harness's own Kafka clients (sender, readers) would log every refused connection of the
// brokers it takes down; their failures reach the harness as errors instead.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .critical
    return handler
}
func say(_ s: String) { FileHandle.standardOutput.write(Data(("chaos: " + s + "\n").utf8)) }

let work = NSTemporaryDirectory() + "slawatch-chaos-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
let topicsFile = work + "/topics.yaml"
var settings = WorkerSettings()
let topicLines = [(settings.ticketsTopic, 6), (settings.ticketChangelog, 6), (settings.outagesTopic, 2), (settings.outageChangelog, 2),
                  (settings.eventsTopic, 3), (settings.escalationsTopic, 3), (settings.deadLetterTopic, 1), (settings.outcomesTopic, 3),
                  (settings.rollupChangelog, 3), (settings.rollupsTopic, 3)]
try ("topics:\n" + topicLines.map { "  - { name: \($0.0), partitions: \($0.1), replication_factor: 3 }\n" }.joined())
    .write(toFile: topicsFile, atomically: true, encoding: .utf8)
let inputPartitions = 6 + 2 + 3

// The broker: the first line of its output is the bootstrap list.
let broker = try ChaosProcess(name: "broker", binary: options.slawatch, arguments: ["dev-broker", "--brokers", "3", "--topics", topicsFile], logDirectory: work)
var bootstrap = ""
let waitBroker = Date(timeIntervalSinceNow: 30)
while bootstrap.isEmpty, Date() < waitBroker {
    Thread.sleep(forTimeInterval: 0.2)
    bootstrap = (try? String(contentsOfFile: work + "/broker.log", encoding: .utf8))?.split(separator: "\n").first.map(String.init) ?? ""
    if !bootstrap.contains(":") { bootstrap = "" }
}
guard !bootstrap.isEmpty else { say("the development broker did not start (\(work)/broker.log)"); exit(1) }
say("broker at \(bootstrap); work directory \(work)")
// The group's coordinator stays on broker 1, which is never taken down: librdkafka 2.0.2's mock
// cluster aborts (rd_kafka_mock_cgrp_member_add: `!member->resp`) when a coordinator goes down
// and up during a rebalance. Brokers 2 and 3 lead partitions, so taking them down still moves
// leaders; coordinator errors are injected instead (COORDINATOR_NOT_AVAILABLE below).
broker.send("coordinator chaos 1")

/// Ends the run when the development broker itself has died: its in-memory topics are gone, so
/// nothing can be counted. Says why (the broker's last output line: librdkafka's assertion).
@MainActor func checkBroker() {
    guard !broker.isRunning else { return }
    let last = ((try? String(contentsOfFile: work + "/broker.log", encoding: .utf8)) ?? "").split(separator: "\n").last ?? ""
    say("FAIL: the development broker (librdkafka's mock cluster) died, \(broker.ending): \(last) — logs in \(work)")
    exit(1)
}
/// Runs a read of the topics; a failure ends the run with the reason, not a crash.
@MainActor func reading<T>(_ what: String, _ body: () throws -> T) -> T {
    do { return try body() } catch {
        checkBroker()
        say("FAIL: reading \(what): \(error) — logs in \(work)")
        exit(1)
    }
}

try ChaosScenario.policyText.write(toFile: work + "/policy.yaml", atomically: true, encoding: .utf8)
try """
    kafka:
      bootstrap.servers: "\(bootstrap)"
      session.timeout.ms: "6000"
      heartbeat.interval.ms: "500"
      message.timeout.ms: "120000"
      fetch.wait.max.ms: "50"
    worker:
      group_id: chaos
      policy: \(work)/policy.yaml
      commit_interval: 500ms
      shutdown_timeout: 30s
      http_listen: ""

    """.write(toFile: work + "/slawatch.yaml", atomically: true, encoding: .utf8)

var workers: [String: ChaosProcess] = [:]
var serial = 0
/// Workers that ended by themselves (not killed by the harness), with their last words; they
/// are started again, as systemd's Restart=on-failure would.
var selfExits: [String] = []
@MainActor func startWorker(_ slot: String) throws {
    serial += 1
    workers[slot] = try ChaosProcess(name: "worker-\(slot)-\(serial)", binary: options.slawatch,
                                     arguments: ["run", "--config", work + "/slawatch.yaml", "--log-format", "text", "--log-level", "info"],
                                     logDirectory: work)
}
for slot in ["a", "b", "c"] { try startWorker(slot) }
Thread.sleep(forTimeInterval: 8)  // the group forms

// Traffic, sent live on its own thread.
let start = SystemClock.read().adding(.seconds(2))
let scenario = ChaosScenario(count: options.tickets, from: start, window: .seconds(Int64(options.sendSeconds)), seed: options.seed)
let sender = ChaosSender(bootstrap: bootstrap, topic: settings.ticketsTopic, events: scenario.events)
sender.start()
// The last alarm: a never-dispatched ticket's supervisor step, 50 s after its creation.
let end = start.adding(.seconds(Int64(options.sendSeconds) + 62))
say("\(scenario.tickets.count) tickets, \(scenario.events.count) events over \(options.sendSeconds) s; last alarm due at +\(options.sendSeconds + 62) s")

// Faults until the last alarm is due.
var rng = SplitMix64(seed: options.seed &+ 99)
var faults: [String: Int] = [:]
var fourth = false
var actionLog: [String] = []
@MainActor func note(_ kind: String, _ detail: String) {
    faults[kind, default: 0] += 1
    let line = String(format: "+%5.1f s ", Double(SystemClock.read().milliseconds - start.milliseconds) / 1000) + detail
    actionLog.append(line)
    say(line)
}
@MainActor func restartEndedWorkers() throws {
    for (slot, w) in workers.sorted(by: { $0.key < $1.key }) where !w.isRunning {
        let log = (try? String(contentsOfFile: work + "/" + w.name + ".log", encoding: .utf8)) ?? ""
        let why = log.split(separator: "\n").last(where: { $0.contains("critical") }).map { String($0.prefix(300)) } ?? "no critical line"
        selfExits.append("\(w.name) (\(w.ending)): \(why)")
        note("worker ended", "worker \(slot) ended by itself (\(w.ending)); started again")
        try startWorker(slot)
    }
}
while !options.calm, SystemClock.read() < end.adding(.seconds(-8)) {
    Thread.sleep(forTimeInterval: Double.random(in: options.faultGap, using: &rng))
    checkBroker()
    try restartEndedWorkers()
    switch Int.random(in: 0..<6, using: &rng) {
    case 0, 1:
        let slot = ["a", "b", "c"].randomElement(using: &rng)!
        workers[slot]?.kill9()
        note("kill -9", "kill -9 worker \(slot)")
        Thread.sleep(forTimeInterval: Double.random(in: 0.5...3, using: &rng))
        try startWorker(slot)
    case 2:
        let b = Int.random(in: 2...3, using: &rng)
        broker.send("broker \(b) down")
        note("broker down", "broker \(b) down for 3 s")
        Thread.sleep(forTimeInterval: 3)
        broker.send("broker \(b) up")
    case 3:
        let topic = [settings.ticketsTopic, settings.ticketChangelog, settings.eventsTopic, settings.escalationsTopic, settings.outcomesTopic].randomElement(using: &rng)!
        let p = Int.random(in: 0..<3, using: &rng), b = Int.random(in: 1...3, using: &rng)
        broker.send("leader \(topic) \(p) \(b)")
        note("leader change", "leader of \(topic)[\(p)] → broker \(b)")
    case 4:
        let request = ["Produce", "Fetch", "OffsetCommit", "Heartbeat"].randomElement(using: &rng)!
        let error = request == "Produce" || request == "Fetch" ? "NOT_LEADER_FOR_PARTITION" : "COORDINATOR_NOT_AVAILABLE"
        broker.send("errors \(request) 3 \(error)")
        note("request errors", "3 × \(error) on \(request)")
    default:
        if fourth {
            workers["d"]?.terminate()
            workers["d"] = nil
            note("worker removed", "worker d stopped (SIGTERM)")
        } else {
            try startWorker("d")
            note("worker added", "worker d started")
        }
        fourth.toggle()
    }
}
sender.wait()
say("all events sent (\(sender.failures) send failures); waiting for the last alarms")
while SystemClock.read() < end.adding(.seconds(10)) { Thread.sleep(forTimeInterval: 0.5) }
checkBroker()
try restartEndedWorkers()

// Settle: outputs stop changing.
let reader = ChaosReader(bootstrap: bootstrap, settings: settings)
var last = -1
let settleBy = Date(timeIntervalSinceNow: 60)
while Date() < settleBy {
    let n = reading("the output topics") { try reader.outputs() }.count
    if n == last { break }
    last = n
    Thread.sleep(forTimeInterval: 3)
}
// Stop the workers one at a time (their last checkpoints publish the last rollups).
for (slot, w) in workers.sorted(by: { $0.key < $1.key }) {
    w.terminate()
    note("stop", "worker \(slot) stopped: \(w.ending)")
    if w.ending != "exit 0", let log = try? String(contentsOfFile: work + "/" + w.name + ".log", encoding: .utf8) {
        for line in log.split(separator: "\n").filter({ $0.contains("critical") || $0.contains("slawatch:") }).suffix(3) { say("  \(w.name): \(line.prefix(300))") }
    }
    Thread.sleep(forTimeInterval: 3)
}

// Count. What the clocks must publish follows from the input that is in Kafka.
checkBroker()
let inputs = reading("the input topic") { try reader.inputs() }
let inputIds = Set(inputs.compactMap { r in r.value.flatMap { try? EventDecoder.any($0).eventId } })
let lostInputs = scenario.events.compactMap { e in (try? EventDecoder.any(e.bytes).eventId).flatMap { inputIds.contains($0) ? nil : $0 } }
let expected = try scenario.expected(until: end.adding(.seconds(5)), present: inputIds)
let published = reading("the output topics") { try reader.outputs() }
var byId: [String: [ChaosReader.Output]] = [:]
for o in published { byId[o.eventId, default: []].append(o) }
let missing = Set(expected.keys).subtracting(byId.keys).sorted()
let unexpected = Set(byId.keys).subtracting(expected.keys).sorted()
let repeats = published.count - byId.count
let differingRepeats = byId.filter { Set($0.value.map(\.fingerprint)).count > 1 }.keys.sorted()
let calendar = try DefaultFiles.calendar()
var handWrong: [String] = []
for h in scenario.handComputed(present: inputIds) {
    guard let o = byId[h.id]?.first else { handWrong.append("\(h.id) missing"); continue }
    if o.type != h.type || o.occurredAt != calendar.format(h.at) { handWrong.append("\(h.id): \(o.type) at \(o.occurredAt), by hand \(h.type) at \(calendar.format(h.at))") }
}
let rollupProblems = reading("the rollups topic") { try reader.rollupProblems(expected: Array(expected.values), calendar: calendar) }

let alarms = expected.values.filter { [.overdue, .escalated].contains($0.type) }.count
var report = """
    Run \(ISO8601DateFormatter().string(from: Date())), \(options.mode) mode, seed \(options.seed): \(scenario.tickets.count) tickets, \
    \(scenario.events.count) input events over \(options.sendSeconds) s, 3 workers (+1 added and removed), 3 brokers.
    Faults: \(faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")).

    | figure | value |
    |---|---:|
    | events the clocks must publish (replay of the input found in Kafka) | \(expected.count) |
    | of which overdue and escalations | \(alarms) |
    | input events sent / acknowledged by the broker / found in Kafka afterwards | \(scenario.events.count) / \(sender.acknowledged) / \(inputIds.count) |
    | published records | \(published.count) |
    | missing | \(missing.count) |
    | unexpected | \(unexpected.count) |
    | repeats (same event_id again) | \(repeats) (\(String(format: "%.2f", Double(repeats) / Double(max(1, byId.count)) * 100)) %) |
    | repeats that differ from the first copy | \(differingRepeats.count) |
    | hand-computed alarms of never-dispatched tickets that differ | \(handWrong.count) of \(scenario.handComputed(present: inputIds).count) |
    | rollup cells that differ from the expected numbers | \(rollupProblems.count) |
    | workers that ended by themselves (restarted, as systemd would) | \(selfExits.count) |

    """
FileHandle.standardOutput.write(Data((report + "\n").utf8))
// The harness's own input must all be acknowledged; an acknowledged record the development
// broker then lost is reported (a fault of librdkafka's mock cluster, not of the workers).
let ok = sender.acknowledged == scenario.events.count && missing.isEmpty && unexpected.isEmpty && differingRepeats.isEmpty && handWrong.isEmpty && rollupProblems.isEmpty
for (what, list) in [("acknowledged input events the broker lost", lostInputs), ("missing", missing), ("unexpected", unexpected), ("differing repeats", differingRepeats), ("hand check", handWrong), ("rollups", rollupProblems), ("workers that ended by themselves", selfExits)] where !list.isEmpty {
    say("\(what): " + list.prefix(10).joined(separator: "; "))
}
if !missing.isEmpty {
    // Where the missing tickets' input is: was it in Kafka at all?
    let tickets = Set(missing.compactMap { $0.split(separator: ":").dropFirst().first.map(String.init) })
    for r in inputs where tickets.contains(String(decoding: r.key ?? [], as: UTF8.self)) {
        say("input of \(String(decoding: r.key ?? [], as: UTF8.self)) at \(r.topicPartition)@\(r.offset): \(String(decoding: r.value ?? [], as: UTF8.self).prefix(120))")
    }
}
broker.terminate(seconds: 5)
if let path = options.write {
    report += "\nFault log:\n\n```\n" + actionLog.joined(separator: "\n") + "\n```\n"
    let begin = "<!-- chaos-\(options.mode):begin -->", finish = "<!-- chaos-\(options.mode):end -->"
    var doc = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Reliability\n"
    let section = begin + "\n" + report + finish
    if let b = doc.range(of: begin), let e = doc.range(of: finish) { doc.replaceSubrange(b.lowerBound..<e.upperBound, with: section) } else { doc += "\n" + section + "\n" }
    try doc.write(toFile: path, atomically: true, encoding: .utf8)
}
say(ok ? "PASS" : "FAIL (logs in \(work))")
if ok { try? FileManager.default.removeItem(atPath: work) }
exit(ok ? 0 : 1)
