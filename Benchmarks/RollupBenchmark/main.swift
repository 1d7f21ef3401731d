// The rollup stage's work per outcome record, in one process and on one thread: what the lifecycle
// benchmark cannot separate from the broker, librdkafka and the tracker sharing two cores.
//
// A seeded lifecycle mix goes through the tracker (ReplayEngine) once, untimed; its outcomes are
// encoded as the worker publishes them (one record per view, on the partition of its key). Then,
// timed, on the same records: (1) decoding each record's JSON alone — the least the stage must do,
// the baseline —; (2) the stage's whole work as RollupStage does it: decode, count in the
// partition's book, and every `--take-every` records a take of every book with its encoding
// (the state set, and the JSON of each changed cell, scorecard, verdict row and rating).

import BenchmarkSupport
import Foundation
import SLACore
import SLAService

var eventCount = 300_000, partitions = 48, takeEvery = 10_000, rounds = 3
var inputFile: String?
var args = CommandLine.arguments.dropFirst()
@MainActor func number(_ flag: String) -> Int {
    guard let n = args.popFirst().flatMap({ Int($0) }), n > 0 else { Usage.fail("RollupBenchmark", "\(flag) needs a positive number") }
    return n
}
while let a = args.popFirst() {
    switch a {
    case "--events": eventCount = number(a)
    case "--partitions": partitions = number(a)
    case "--take-every": takeEvery = number(a)
    case "--rounds": rounds = number(a)
    case "--write-input":
        guard let f = args.popFirst() else { Usage.fail("RollupBenchmark", "--write-input needs a file") }
        inputFile = f
    default: Usage.fail("RollupBenchmark", "unknown argument \(a) (--events N, --partitions N, --take-every N records, --rounds N, --write-input FILE)")
    }
}
func log(_ s: String) { FileHandle.standardError.write(Data(("rollups: " + s + "\n").utf8)) }

let calendar = try DefaultFiles.calendar()
let policy = try DefaultFiles.policy()
let now = SystemClock.read()
var mix = LifecycleMix(seed: 20_261_203, end: now, hours: 6)
mix.generate(events: eventCount)

// The mix as JSON lines in time order, for `slawatch replay` (two builds compared on one input).
if let inputFile {
    let lines = mix.events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map { $0.element.json + "\n" }
    guard FileManager.default.createFile(atPath: inputFile, contents: Data(lines.joined().utf8)) else { fatalError("cannot write \(inputFile)") }
    log("wrote \(lines.count) events to \(inputFile)")
}

// Untimed: the outcomes of the mix, as the worker would publish them.
var engine = ReplayEngine(tracker: SLATracker(policy: policy, calendar: calendar), keepsOutcomes: true)
var outcomes: [Outcome] = []
for e in mix.events {
    let bytes = Array(e.json.utf8)
    do {
        let event: InboundEvent = e.topic == .tickets ? .ticket(try EventDecoder.ticket(bytes)) : .outage(try EventDecoder.outage(bytes))
        _ = try engine.feed(event)
    } catch { _ = engine.takeUnreported() }
    outcomes += engine.takeOutcomes()
}
_ = engine.advance(to: now)
outcomes += engine.takeOutcomes()

/// One outcomes record: its partition, view and JSON value.
struct OutcomeRecord { var partition: Int32; var view: RollupView; var value: [UInt8] }
/// The partition of a key: FNV-1a, a stable spread (the worker's producer uses librdkafka's
/// partitioner; which partition a key lands on does not change the work).
@MainActor func partition(of key: String) -> Int32 {
    var h: UInt32 = 2_166_136_261
    for b in key.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
    return Int32(h % UInt32(partitions))
}
var records: [OutcomeRecord] = []
for o in outcomes {
    let value = o.json(calendar: calendar)
    for view in o.views { records.append(OutcomeRecord(partition: partition(of: o.key(view)), view: view, value: value)) }
}
let tickets = Set(mix.events.lazy.filter { $0.topic == .tickets }.map(\.key)).count
log("\(mix.events.count) events of \(tickets) tickets: \(outcomes.count) outcomes, \(records.count) records on \(partitions) partitions")

// (1) The baseline: decoding alone.
@MainActor func decodeAll() -> Double {
    var decoded = 0
    let t0 = Measure.cpuSeconds()
    for r in records where (try? Outcome.decode(r.value)) != nil { decoded += 1 }
    precondition(decoded == records.count, "an outcome record did not decode")
    return Measure.cpuSeconds() - t0
}

/// What one pass of the stage spent, in CPU seconds, and what it left.
struct StagePass { var apply = 0.0, take = 0.0, encode = 0.0; var cells = 0, slots = 0, published = 0, stateBytes = 0, residentGrowth = 0 }

// (2) The stage: decode and count, and a take of every book with its encoding every `takeEvery` records.
@MainActor func stage() -> StagePass {
    var pass = StagePass()
    let rule = policy.scorecard, retention = TimeSpan(milliseconds: 40 * 86_400_000)
    let before = Measure.residentBytes()
    var books: [Int32: RollupBook] = [:]
    func takeAll() {
        let t0 = Measure.cpuSeconds()
        var pending: [RollupBook.Pending] = []
        for p in books.keys.sorted() { pending.append(books[p]!.takePending()) }
        let t1 = Measure.cpuSeconds()
        for p in pending {
            let c = p.encoded()
            for cell in c.cells { pass.published += cell.cell.json(cell.key, calendar: calendar, asOf: now).count > 0 ? 1 : 0 }
            for s in c.scorecards { pass.published += s.json(calendar: calendar, asOf: now).count > 0 ? 1 : 0 }
            for v in c.verdicts { pass.published += v.json(calendar: calendar, asOf: now).count > 0 ? 1 : 0 }
            for s in c.stars { pass.published += s.json(calendar: calendar, asOf: now).count > 0 ? 1 : 0 }
            pass.stateBytes += c.state.reduce(0) { $0 + ($1.value?.count ?? 0) }
        }
        pass.take += t1 - t0
        pass.encode += Measure.cpuSeconds() - t1
    }
    var sinceTake = 0, applyStart = Measure.cpuSeconds()
    for r in records {
        guard let o = try? Outcome.decode(r.value) else { fatalError("an outcome record did not decode") }
        // In place, as RollupStage does: a copy of the book out of the dictionary would copy its tables.
        if books[r.partition] == nil { books[r.partition] = RollupBook(calendar: calendar, rule: rule, retention: retention) }
        _ = books[r.partition]!.apply(o, view: r.view, now: now)
        sinceTake += 1
        if sinceTake == takeEvery {
            pass.apply += Measure.cpuSeconds() - applyStart
            takeAll()
            sinceTake = 0
            applyStart = Measure.cpuSeconds()
        }
    }
    pass.apply += Measure.cpuSeconds() - applyStart
    takeAll()
    pass.cells = books.values.reduce(0) { $0 + $1.cellCount }
    pass.slots = books.values.reduce(0) { $0 + $1.slotCount }
    pass.residentGrowth = Measure.residentBytes() - before
    withExtendedLifetime(books) {}
    return pass
}

// Alternated rounds: the machine's speed drifts, so each round has both.
var decodeRuns: [Double] = [], passes: [StagePass] = []
for round in 1...rounds {
    decodeRuns.append(decodeAll())
    passes.append(stage())
    log("round \(round): decode \(String(format: "%.2f", decodeRuns.last! * 1e6 / Double(records.count))) µs, stage \(String(format: "%.2f", (passes.last!.apply + passes.last!.take + passes.last!.encode) * 1e6 / Double(records.count))) µs per record")
}
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
let n = Double(records.count)
@MainActor func us(_ x: Double) -> String { String(format: "%.2f µs", x * 1e6 / n) }
let decode = median(decodeRuns), apply = median(passes.map(\.apply)), take = median(passes.map(\.take)), encode = median(passes.map(\.encode))
let total = median(passes.map { $0.apply + $0.take + $0.encode })
// Memory from the first round: later rounds reuse what the one before freed.
let last = passes.first!
print("""
rollup stage in process: \(mix.events.count) input events, \(outcomes.count) outcomes, \(records.count) outcome records, \(partitions) partitions, a take every \(takeEvery) records; median of \(rounds) rounds, CPU per outcome record

| measure | per outcome record | per input event |
|---|---|---|
| baseline: decoding the record's JSON alone | \(us(decode)) | \(String(format: "%.2f µs", decode * 1e6 / Double(mix.events.count))) |
| the stage: decode and count (apply) | \(us(apply)) | \(String(format: "%.2f µs", apply * 1e6 / Double(mix.events.count))) |
| the stage: takes (pending values, the state set's entries) | \(us(take)) | \(String(format: "%.2f µs", take * 1e6 / Double(mix.events.count))) |
| the stage: encoding the takes (state set, rollup, scorecard, verdict and rating JSON) | \(us(encode)) | \(String(format: "%.2f µs", encode * 1e6 / Double(mix.events.count))) |
| the stage, all of it | \(us(total)) (\(String(format: "%.1f×", total / decode)) the baseline) | \(String(format: "%.2f µs", total * 1e6 / Double(mix.events.count))) |

held at the end: \(last.cells) cells, \(last.slots) slots; \(last.published) records published, \(last.stateBytes / 1024) KiB of state written; resident memory grew \(last.residentGrowth / 1024 / 1024) MiB (\(last.residentGrowth / max(1, tickets)) B per ticket)
""")
