// `slawatch replay`: the what-if tool — JSONL events in, emitted SLA events out.

import ArgumentParser
import SLACore
import SLAService

/// Runs the tracker over a JSONL file of events on a virtual clock.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay JSONL ticket and outage events from stdin through the SLA clocks; print emitted events as JSON lines.",
        discussion: """
            The virtual clock moves through the events' occurred_at times and on to --until (default:
            the last event), firing warnings, overdue and escalations as it passes them. Output is in
            the order the daemon would emit it, sla.unresolved included (a stage the calendar or the
            events cannot time yet). Malformed or refused lines are reported on stderr with
            their line number and skipped. Exit status: 0 when every line was taken, 2 when any was
            skipped, 1 when the policy or calendar is refused.

            --explain TICKET_ID prints, instead of the events, how that ticket's deadlines were
            worked out at the end of the replay: each stage and cycle with its starting event, rule,
            limit, who is charged, every calendar day walked for a working-day limit, the deadline,
            warning point and ladder, the stopping event and verdict (--json: the object the
            daemon's GET /tickets/{id} answers).

            --emit chooses what is printed, as JSON lines: events (the default), outcomes (one
            line per outcome as the daemon publishes it to the outcomes topic, in the order counted),
            rollups (the rollup cells and the ticket-level verdict rows) and scorecards (units' and
            agents' monthly scorecards and yearly stars), e.g. --emit events,outcomes,rollups,scorecards.
            Events and outcomes come as they happen; rollups and scorecards at the end, sorted by
            their key on the rollups topic, with as_of the replay's clock: the latest record per key
            the daemon would have published for the same input. --summary prints each unit's
            month on stderr at the end: verdicts, on-time rate, overdue, points off per stage,
            score, rank and grade under the policy's scorecard rule.

            --compare runs the input under two policies at once, A (--policy, --calendar) and B
            (--policy-b, --calendar-b; each defaults to A's), and prints instead per unit and stage
            the stage cycles met under A and missed under B and the reverse, the on-time rates, and
            score, rank and grade under both; --flips FILE writes every cycle whose verdict differs
            as a JSON line with both verdicts, deadlines and parties charged. Nothing is written
            anywhere else.
            """)

    @Option(help: "Policy file (YAML). Default: the built-in 95598 policy.") var policy: String?
    @Option(help: "Calendar file (YAML). Default: the built-in mainland China calendar.") var calendar: String?
    @Option(help: "Move the clock on to this RFC 3339 instant after the last event.") var until: String?
    @Option(help: "Print a progress line on stderr every N input lines (0: never).") var progressEvery = 100_000
    @Option(help: "Explain one ticket's (or outage's) deadlines instead of printing the events.") var explain: String?
    @Flag(help: "With --explain: print the explanation as one JSON object.") var json = false
    @Option(help: "What to print, comma-separated: events, outcomes, rollups, scorecards.") var emit = "events"
    @Flag(help: "At the end, print each unit's month (stages, score, rank, grade) on stderr.") var summary = false
    @Option(help: "How late an outcome may still correct its windows (as the daemon's worker.rollup_retention).") var rollupRetention = "40d"
    @Flag(help: "Compare two policies (A: --policy/--calendar, B: --policy-b/--calendar-b) over the same input.") var compare = false
    @Option(help: "With --compare: policy B (default: A's).") var policyB: String?
    @Option(help: "With --compare: calendar B (default: A's).") var calendarB: String?
    @Option(help: "With --compare: write every cycle whose verdict differs to this file, as JSON lines.") var flips: String?

    /// The outputs asked for with --emit.
    private var outputs: Set<String> { Set(emit.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }

    func validate() throws {
        if json, explain == nil { throw ValidationError("--json goes with --explain") }
        if !compare, policyB != nil || calendarB != nil || flips != nil { throw ValidationError("--policy-b, --calendar-b and --flips go with --compare") }
        if compare, policyB == nil, calendarB == nil { throw ValidationError("--compare: give --policy-b or --calendar-b (B would be A)") }
        if compare, explain != nil || summary || emit != "events" { throw ValidationError("--compare prints its own table: not with --explain, --summary or --emit") }
        if explain != nil, summary || emit != "events" { throw ValidationError("--explain prints the explanation alone: not with --summary or --emit") }
        let unknown = outputs.subtracting(["events", "outcomes", "rollups", "scorecards"])
        if outputs.isEmpty || !unknown.isEmpty {
            throw ValidationError("--emit: \(unknown.isEmpty ? "nothing named" : "unknown \(unknown.sorted().joined(separator: ", "))"); choose from events, outcomes, rollups, scorecards")
        }
        guard let retention = TimeSpan.parse(rollupRetention), (3_600_000...(400 * 86_400_000)).contains(retention.milliseconds) else {
            throw ValidationError("--rollup-retention: a span from 1h to 400d, like 40d: \"\(rollupRetention)\"")
        }
        if let explain, explain.isEmpty || explain.utf8.count > EventLimits.subjectId {
            throw ValidationError("--explain: a ticket or outage id of 1 to \(EventLimits.subjectId) bytes")
        }
        guard let until else { return }
        guard let (t, _) = RFC3339.parse(until) else { throw ValidationError("--until: not an RFC 3339 timestamp: \"\(until)\"") }
        if let why = EventLimits.refusal(of: t, in: EventLimits.representable) { throw ValidationError("--until: \"\(until)\" is \(why)") }
    }

    func run() throws {
        let p = try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.policy(at: policy) }
        let c = try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.calendar(at: calendar) }
        if compare { return try runComparison(policyA: p, calendarA: c) }
        let wanted = outputs
        let rollsUp = summary || !wanted.isDisjoint(with: ["rollups", "scorecards"])
        let book = rollsUp ? RollupBook(calendar: c, rule: p.scorecard, retention: TimeSpan.parse(rollupRetention)!) : nil
        var engine = ReplayEngine(tracker: SLATracker(policy: p, calendar: c), rollups: book, keepsOutcomes: wanted.contains("outcomes"))
        var reader = LineReader(fileDescriptor: 0)
        var lineNumber = 0
        var skipped = 0
        // The explained subject's event ids, by the hash its history keeps of them.
        var eventIds: [UInt64: String] = [:]
        func emit(_ events: [SLAEvent]) {
            guard explain == nil else { return }
            if wanted.contains("events") { for e in events { print(String(decoding: e.json(calendar: c), as: UTF8.self)) } }
            for o in engine.takeOutcomes() { print(String(decoding: o.json(calendar: c), as: UTF8.self)) }
        }
        while let line = reader.next() {
            lineNumber += 1
            if progressEvery > 0, lineNumber % progressEvery == 0 {
                Stderr.write("replay: \(lineNumber) lines, \(engine.counts.emitted) events emitted, clock \(engine.clock.map(c.format) ?? "-")\n")
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                let event = try EventDecoder.any(line)
                if let explain, event.subject.id == explain { eventIds[EventHash.of(event.eventId)] = event.eventId }
                emit(try engine.feed(event))
            } catch {
                skipped += 1
                // What fell due before the refused line (and a refused ticket's stopped clocks) still goes out.
                emit(engine.takeUnreported())
                Stderr.write("line \(lineNumber): \(error)\n")
            }
        }
        if let until, let (t, _) = RFC3339.parse(until) {
            if let clock = engine.clock, t < clock {
                Stderr.write("replay: --until \(until) is before the last event (\(c.format(clock))); the clock stays there\n")
            }
            emit(engine.advance(to: t))
        }
        if let changes = engine.takeRollups() { finish(changes, clock: engine.clock ?? Timestamp(milliseconds: 0), calendar: c, wanted: wanted) }
        let k = engine.counts
        Stderr.write("replay: \(lineNumber) lines: \(k.applied) applied, \(k.duplicates) duplicates, \(k.untracked) untracked, "
                     + "\(skipped) skipped; \(k.emitted) events emitted (\(k.unresolved) sla.unresolved), \(k.outcomes) outcomes; \(engine.pendingTimers) clocks pending at \(engine.clock.map(c.format) ?? "-")\n")
        if let explain {
            let held = [SubjectID(.ticket, explain), SubjectID(.outage, explain)].lazy.compactMap { engine.tracker.explain($0) }.first
            guard let x = held else {
                Stderr.write("replay: --explain: no ticket or outage \(JSONText.quoted(explain)) is held at \(engine.clock.map(c.format) ?? "-") (never seen, not timed by the policy, or forgotten after its retention)\n")
                throw ExitCode(1)
            }
            if json { print(String(decoding: x.json(calendar: c, eventIds: eventIds), as: UTF8.self)) } else { print(x.text(calendar: c, eventIds: eventIds), terminator: "") }
        }
        if skipped > 0 { throw ExitCode(2) }
    }

    /// Prints the rollups and scorecards asked for, by key, and the summary.
    private func finish(_ changes: RollupBook.Changes, clock: Timestamp, calendar c: BusinessCalendar, wanted: Set<String>) {
        guard explain == nil else { return }
        var records: [(key: String, json: [UInt8])] = []
        if wanted.contains("rollups") {
            records += changes.cells.map { ($0.key.text, $0.cell.json($0.key, calendar: c, asOf: clock)) }
            records += changes.verdicts.map { ($0.keyText, $0.json(calendar: c, asOf: clock)) }
        }
        if wanted.contains("scorecards") {
            records += changes.scorecards.map { ($0.keyText, $0.json(calendar: c, asOf: clock)) }
            records += changes.stars.map { ($0.keyText, $0.json(calendar: c, asOf: clock)) }
        }
        for r in records.sorted(by: { $0.key < $1.key }) { print(String(decoding: r.json, as: UTF8.self)) }
        if summary { Stderr.write(ReplaySummary.table(changes.scorecards)) }
    }
}
