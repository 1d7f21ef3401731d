// The ops board with 100 000 open clocks: building it from events, and answering /board and
// /api/clocks, against a baseline in the same run (one pass over the same clocks, counting).
//
// Usage: swift run -c release BoardBenchmark [--clocks N] [--requests N]

import BenchmarkSupport
import Foundation
import SLACore
import SLAService

var clocks = 100_000
var requests = 20
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--clocks": clocks = Int(args.popFirst() ?? "") ?? { Usage.fail("BoardBenchmark", "--clocks needs a number") }()
    case "--requests": requests = Int(args.popFirst() ?? "") ?? { Usage.fail("BoardBenchmark", "--requests needs a number") }()
    default: Usage.fail("BoardBenchmark", "unknown argument \(a) (--clocks N, --requests N)")
    }
}

let calendar = try DefaultFiles.calendar()
let now = Timestamp(milliseconds: 1_797_300_000_000)   // 2026-12-15 10:00 in Shanghai
let stages = ["repair.dispatch", "repair.arrival", "complaint.resolution", "appeal.dispatch", "connection.power_on"]

// Each clock: started within the last 2 h, due 45 min to 3 h after its start (so about a
// third are overdue at `now`, some due within 30 min), one in four with an overdue alarm and
// a ladder step, one in ten already ended today, over 40 units.
var events: [BoardEvent] = []
events.reserveCapacity(clocks * 2)
var rng = SystemRandomNumberGenerator()
for i in 0..<clocks {
    let start = now.adding(TimeSpan(milliseconds: -Int64.random(in: 0..<7_200_000, using: &rng)))
    let deadline = start.adding(TimeSpan(milliseconds: Int64.random(in: 2_700_000..<10_800_000, using: &rng)))
    let unit = "U\(i % 40)", stage = stages[i % stages.count], id = "T\(i)"
    func e(_ t: SLAEventType, at: Timestamp, level: String? = nil) -> BoardEvent {
        BoardEvent(eventId: "\(id):\(stage):\(t.rawValue)\(level ?? "")", type: t, subjectId: id, kind: "fault_repair", stage: stage,
                   unit: unit, chargedTo: unit, startedAt: start, deadline: deadline, occurredAt: at, level: level)
    }
    events.append(e(.started, at: start))
    if i % 4 == 0 && deadline < now { events.append(e(.overdue, at: deadline)); events.append(e(.escalated, at: deadline, level: "urge")) }
    if i % 10 == 0 { events.append(e(.met, at: min(now, deadline))) }
}

var board = ClockBoard()
let applySeconds = Measure.time { for e in events { board.apply(e) } }
let rss = Measure.residentBytes()

// The baseline: the first design's list, in the same run: the same cycles as an array of
// BoardClock values, filtered for the overdue and sorted by deadline on each request.
let unpacked = Array(board.clocks.values)
var baselineCount = 0
let baselineSeconds = Measure.time {
    for _ in 0..<requests {
        baselineCount = unpacked.filter { $0.state == .open && ($0.deadline ?? now) <= now }
            .sorted { ($0.deadline ?? now, $0.subjectId) < ($1.deadline ?? now, $1.subjectId) }.count
    }
} / Double(requests)

let rounds = requests
func perRequest(_ body: () -> Int) -> (seconds: Double, size: Int) {
    var size = 0
    let t = Measure.time { for _ in 0..<rounds { size = body() } }
    return (t / Double(rounds), size)
}
let q = try BoardQuery([])
let page = perRequest { BoardPage.render(board, query: q, now: now, complete: true, calendar: calendar, fragment: false).utf8.count }
let api = perRequest { BoardAPI.clocks(board, query: q, now: now, complete: true, calendar: calendar).utf8.count }
let dueQ = try BoardQuery([("state", "due")])
let due = perRequest { BoardAPI.clocks(board, query: dueQ, now: now, complete: true, calendar: calendar).utf8.count }
let unitQ = try BoardQuery([("unit", "U7")])
let unitPage = perRequest { BoardPage.render(board, query: unitQ, now: now, complete: true, calendar: calendar, fragment: true).utf8.count }

func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
func ratio(_ s: Double) -> String { String(format: "%.2f×", s / baselineSeconds) }
let overdueCount = board.overdueCount(now: now)
print("""
    board of \(board.count) cycles (\(overdueCount) overdue), from \(events.count) events
    | measure | per request | × baseline |
    |---|---|---|
    | baseline: filter and sort an array of the cycles for the overdue (\(baselineCount)) | \(ms(baselineSeconds)) | 1× |
    | `/board` whole page (500 rows per list, \(page.size / 1024) KiB) | \(ms(page.seconds)) | \(ratio(page.seconds)) |
    | `/board?unit=U7` fragment (\(unitPage.size / 1024) KiB) | \(ms(unitPage.seconds)) | \(ratio(unitPage.seconds)) |
    | `/api/clocks?state=overdue` (500 of \(overdueCount), \(api.size / 1024) KiB) | \(ms(api.seconds)) | \(ratio(api.seconds)) |
    | `/api/clocks?state=due` | \(ms(due.seconds)) | \(ratio(due.seconds)) |
    | building the board: \(events.count) events | \(String(format: "%.2f µs per event", applySeconds / Double(events.count) * 1e6)) | — |
    | resident memory after building | \(rss / 1_048_576) MiB (\(rss / max(1, board.count)) B per cycle, the process whole) | — |
    """)
