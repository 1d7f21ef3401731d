// Timing-wheel benchmark: the wheel against a heap timer queue and one DispatchSourceTimer per
// timer, in one release run. Prints a table; `--write FILE` also puts it into that Markdown file.

import Dispatch
import Foundation
import SLACore
import SLAService
import BenchmarkSupport

let args = CommandLine.arguments
let timers = Int(args.first { $0.hasPrefix("--timers=") }?.dropFirst(9) ?? "") ?? 1_000_000
let dispatchTimers = Int(args.first { $0.hasPrefix("--dispatch-timers=") }?.dropFirst(18) ?? "") ?? 100_000
let writeTarget = args.firstIndex(of: "--write").map { args[$0 + 1] }

let start: Int64 = 1_795_306_500_000
let second: Int64 = 1000
let day: Int64 = 86_400_000

func deadlines(_ n: Int, seed: UInt64, within range: ClosedRange<Int64>) -> [Int64] {
    var rng = SplitMix64(seed: seed)  // the same deadlines in every run and for every contender
    return (0..<n).map { _ in start + Int64.random(in: range, using: &rng) }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

struct Row { var name: String; var schedule: Double; var cancel: Double; var expire: Double; var bytes: Double }

let spread = deadlines(timers, seed: 42, within: second...(45 * day))

// --- Wheel ----------------------------------------------------------------------------------
func benchWheel() -> Row {
    log("wheel: scheduling \(timers) timers over 1 s … 45 days")
    var wheel = TimingWheel<UInt32>(now: start)
    var handles: [TimerHandle] = []
    handles.reserveCapacity(timers)
    let rss0 = Measure.residentBytes()
    let tSchedule = Measure.time { for (i, d) in spread.enumerated() { handles.append(wheel.schedule(at: d, UInt32(i))) } }
    let bytes = Double(wheel.memoryFootprint) / Double(timers)
    let rssBytes = Double(Measure.residentBytes() - rss0 - handles.capacity * MemoryLayout<TimerHandle>.stride) / Double(timers)
    log("wheel: footprint \(String(format: "%.1f", bytes)) B/timer (resident delta \(String(format: "%.1f", rssBytes)) B/timer)")
    let tCancel = Measure.time { for i in stride(from: 0, to: timers, by: 2) { wheel.cancel(handles[i]) } }
    var out: [ExpiredTimer<UInt32>] = []
    out.reserveCapacity(1024)
    var fired = 0
    var last: Int64 = 0
    log("wheel: advancing wakeup by wakeup through 45 days")
    let tExpire = Measure.time {
        while let w = wheel.nextWakeup() {
            wheel.advance(to: w, into: &out)
            fired += out.count
            if let d = out.last?.deadline { precondition(d >= last); last = d }
            out.removeAll(keepingCapacity: true)
        }
    }
    precondition(fired == timers / 2 && wheel.count == 0)
    return Row(name: "timing wheel", schedule: Double(timers) / tSchedule, cancel: Double(timers / 2) / tCancel,
               expire: Double(fired) / tExpire, bytes: bytes)
}

// --- Heap -----------------------------------------------------------------------------------
/// The same workload on a heap baseline.
func benchBaseline<Q: BaselineTimerQueue>(_ heap: Q, name: String) -> Row {
    log("\(name): same workload")
    var heap = heap
    var handles: [Q.Handle] = []
    handles.reserveCapacity(timers)
    let tSchedule = Measure.time { for d in spread { handles.append(heap.schedule(at: d)) } }
    let bytes = Double(heap.bytesHeld) / Double(timers)
    let tCancel = Measure.time { for i in stride(from: 0, to: timers, by: 2) { heap.cancel(handles[i]) } }
    var out: [Int64] = []
    var fired = 0
    let tExpire = Measure.time {
        while let d = heap.nextDeadline() {
            heap.advance(to: d, into: &out)
            fired += out.count
            out.removeAll(keepingCapacity: true)
        }
    }
    precondition(fired == timers / 2)
    return Row(name: name, schedule: Double(timers) / tSchedule, cancel: Double(timers / 2) / tCancel,
               expire: Double(fired) / tExpire, bytes: bytes)
}

func benchHeap() -> Row { benchBaseline(HeapTimerQueue(), name: "swift-collections Heap, lazy cancel") }
func benchSetHeap() -> Row { benchBaseline(SetCancelHeapTimerQueue(), name: "swift-collections Heap, cancelled-id Set") }

// --- One DispatchSourceTimer per timer -------------------------------------------------------
func benchDispatch() -> Row {
    log("dispatch: \(dispatchTimers) DispatchSourceTimers")
    let q = DispatchQueue(label: "bench.dispatch")
    let ds = deadlines(dispatchTimers, seed: 7, within: second...(45 * day))
    var sources: [DispatchSourceTimer] = []
    sources.reserveCapacity(dispatchTimers)
    let rss0 = Measure.residentBytes()
    let now = Date().timeIntervalSince1970 * 1000
    let tSchedule = Measure.time {
        for d in ds {
            let s = DispatchSource.makeTimerSource(queue: q)
            s.setEventHandler {}
            s.schedule(wallDeadline: .now() + .milliseconds(Int(Double(d - start))), leeway: .milliseconds(1))
            s.resume()
            sources.append(s)
        }
    }
    _ = now
    let bytes = Double(Measure.residentBytes() - rss0) / Double(dispatchTimers)
    let tCancel = Measure.time { for i in stride(from: 0, to: dispatchTimers, by: 2) { sources[i].cancel() } }
    for i in stride(from: 1, to: dispatchTimers, by: 2) { sources[i].cancel() }
    // Expiry: the same count due within the next second, each on its own source.
    let fired = DispatchSemaphore(value: 0)
    let due = deadlines(dispatchTimers, seed: 8, within: 0...999)
    var burst: [DispatchSourceTimer] = []
    burst.reserveCapacity(dispatchTimers)
    let t0 = Measure.seconds()
    for d in due {
        let s = DispatchSource.makeTimerSource(queue: q)
        s.setEventHandler { fired.signal(); s.cancel() }
        s.schedule(deadline: .now() + .milliseconds(Int(d - start)), leeway: .milliseconds(1))
        s.resume()
        burst.append(s)
    }
    for _ in 0..<dispatchTimers { fired.wait() }
    let tExpire = Measure.seconds() - t0
    return Row(name: "DispatchSourceTimer per timer (\(dispatchTimers / 1000)k)", schedule: Double(dispatchTimers) / tSchedule,
               cancel: Double(dispatchTimers / 2) / tCancel, expire: Double(dispatchTimers) / tExpire, bytes: bytes)
}

// --- Burst: 1M timers due in the same second ------------------------------------------------
func benchBurst() -> Double {
    log("burst: \(timers) timers due within one second, one advance")
    var wheel = TimingWheel<UInt32>(now: start, capacity: timers)
    for (i, d) in deadlines(timers, seed: 9, within: (10 * 60 * second)...(10 * 60 * second + 999)).enumerated() {
        _ = wheel.schedule(at: d, UInt32(i))
    }
    var out: [ExpiredTimer<UInt32>] = []
    out.reserveCapacity(timers)
    let t = Measure.time { wheel.advance(to: start + 10 * 60 * second + 999, into: &out) }
    precondition(out.count == timers)
    return t
}

// --- Idle: 1M pending, nothing due --------------------------------------------------------------
func benchIdle() -> (cpuMsPerSecond: Double, wakeups: Int) {
    log("idle: \(timers) pending in the driver on the system clock, nothing due for an hour; measuring 3 s")
    let q = DispatchQueue(label: "bench.idle")
    let clock = SystemClock()
    let driver = WheelDriver<UInt32>(queue: q, clock: clock, capacity: timers) { _ in }
    let now = clock.now().milliseconds
    let ds = deadlines(timers, seed: 10, within: (3_600 * second)...(45 * day)).map { $0 - start + now }
    q.sync {
        driver.start()
        for (i, d) in ds.enumerated() { _ = driver.schedule(at: Timestamp(milliseconds: d), UInt32(i)) }
    }
    let cpu0 = Measure.cpuSeconds(), wall0 = Measure.seconds()
    Thread.sleep(forTimeInterval: 3)
    let cpu = Measure.cpuSeconds() - cpu0, wall = Measure.seconds() - wall0
    let wakeups = q.sync { driver.wakeups }
    q.sync { driver.stop() }
    return (cpu * 1000 / wall, wakeups)
}

// Idle first, in a clean process: it reads the CPU time of the whole process.
let idle = benchIdle()
// Then Dispatch, while the heap is fresh: its resident-memory growth is measured.
let dispatchRow = benchDispatch()
let rounds = Int(args.first { $0.hasPrefix("--rounds=") }?.dropFirst(9) ?? "") ?? 5

/// The median of each figure over the rounds: single runs swing with slab growth and page faults.
func median(_ rows: [Row]) -> Row {
    func m(_ f: (Row) -> Double) -> Double { rows.map(f).sorted()[rows.count / 2] }
    return Row(name: rows[0].name, schedule: m(\.schedule), cancel: m(\.cancel), expire: m(\.expire), bytes: m(\.bytes))
}
var wheelRows: [Row] = [], heapRows: [Row] = [], setHeapRows: [Row] = []
for round in 1...rounds {
    log("round \(round) of \(rounds)")
    wheelRows.append(benchWheel()); heapRows.append(benchHeap()); setHeapRows.append(benchSetHeap())
}
let wheelRow = median(wheelRows), heapRow = median(heapRows), setHeapRow = median(setHeapRows)
let burst = benchBurst()

func rate(_ x: Double) -> String { x >= 1e6 ? String(format: "%.1f M/s", x / 1e6) : String(format: "%.0f k/s", x / 1e3) }
func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f×", a / b) }
/// The lowest and highest per-round ratio, so the spread between rounds shows.
func spread(_ a: [Row], _ b: [Row], _ f: (Row) -> Double) -> String {
    let r = zip(a, b).map { f($0) / f($1) }
    return String(format: "%.2f–%.2f×", r.min()!, r.max()!)
}

let cpuModel = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
let stamp = ISO8601DateFormatter().string(from: Date())

var md = """
### Timing wheel (issue 3)

Measured \(stamp) on \(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpuModel)), release build:

```sh
swift run -c release TimingWheelBenchmark --write docs/PERFORMANCE.md
```

Workload: \(timers) timers with deadlines uniform over 1 s … 45 days; schedule all, cancel every
other one, then advance wakeup by wakeup (as the driver does) until all have fired. Wheel
and heaps run \(rounds) rounds, interleaved; the table gives each figure's median. The
Dispatch row uses \(dispatchTimers) timers (one `DispatchSourceTimer` each) and measures expiry
on a second batch due within one second. Bytes are per pending timer: the wheel's slab and
tables, the heap's entries and generation table, and the resident-memory growth per Dispatch
source.

| implementation | schedule | cancel | expire | bytes / timer |
|---|---:|---:|---:|---:|

"""
for r in [wheelRow, heapRow, setHeapRow, dispatchRow] {
    md += "| \(r.name) | \(rate(r.schedule)) | \(rate(r.cancel)) | \(rate(r.expire)) | \(String(format: "%.1f", r.bytes)) |\n"
}
md += """

| ratio (same run) | median | range over rounds | target |
|---|---:|---:|---:|
| wheel schedule ÷ heap (generation array) schedule | \(ratio(wheelRow.schedule, heapRow.schedule)) | \(spread(wheelRows, heapRows, \.schedule)) | ≥ 2× |
| wheel cancel ÷ heap (generation array) cancel | \(ratio(wheelRow.cancel, heapRow.cancel)) | \(spread(wheelRows, heapRows, \.cancel)) | ≥ 2× |
| wheel expire ÷ heap (generation array) expire | \(ratio(wheelRow.expire, heapRow.expire)) | \(spread(wheelRows, heapRows, \.expire)) | — |
| wheel schedule ÷ heap (cancelled-id Set) schedule | \(ratio(wheelRow.schedule, setHeapRow.schedule)) | \(spread(wheelRows, setHeapRows, \.schedule)) | ≥ 2× |
| wheel cancel ÷ heap (cancelled-id Set) cancel | \(ratio(wheelRow.cancel, setHeapRow.cancel)) | \(spread(wheelRows, setHeapRows, \.cancel)) | ≥ 2× |
| wheel expire ÷ heap (cancelled-id Set) expire | \(ratio(wheelRow.expire, setHeapRow.expire)) | \(spread(wheelRows, setHeapRows, \.expire)) | — |
| wheel schedule ÷ Dispatch schedule | \(ratio(wheelRow.schedule, dispatchRow.schedule)) | | — |

| figure | value | target |
|---|---:|---:|
| wheel bytes per pending timer | \(String(format: "%.1f", wheelRow.bytes)) B | ≤ 32 B |
| advance over \(timers) timers due in the same second | \(String(format: "%.1f", burst * 1000)) ms | < 150 ms |
| idle CPU, \(timers) pending, nothing due | \(String(format: "%.4f", idle.cpuMsPerSecond)) ms/s (\(idle.wakeups) wakeups in 3 s) | < 0.1 ms/s |

"""
print(md)

if let path = writeTarget {
    let begin = "<!-- timing-wheel:begin -->", end = "<!-- timing-wheel:end -->"
    var doc = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Performance\n\nFigures are produced by the benchmarks in `Benchmarks/`, in release builds, each against a baseline in the same run.\n\n\(begin)\n\(end)\n"
    if let b = doc.range(of: begin), let e = doc.range(of: end) {
        doc.replaceSubrange(b.upperBound..<e.lowerBound, with: "\n" + md)
    } else {
        doc += "\n\(begin)\n\(md)\(end)\n"
    }
    try doc.write(toFile: path, atomically: true, encoding: .utf8)
    log("wrote \(path)")
}
