// The numbers of one rollup record, kept so that an outcome can be added and taken out again.

/// Counts, stage times and satisfaction of the outcomes in one rollup cell.
public struct RollupCell: Sendable, Equatable {
    /// Outcomes counted, of every result.
    public var outcomes: Int64 = 0
    public var met: Int64 = 0
    public var missed: Int64 = 0
    public var voided: Int64 = 0
    public var overdue: Int64 = 0
    public var linked: Int64 = 0
    public var closed: Int64 = 0
    public var callbacks: Int64 = 0
    /// v1.3 volumes: tickets received, handled, answered (once each), reopenings, send-backs,
    /// and tickets handled first time (一次解决).
    public var received: Int64 = 0, handled: Int64 = 0, answered: Int64 = 0, reopened: Int64 = 0, sentBack: Int64 = 0, firstTime: Int64 = 0
    /// v1.3: callbacks scoring 4 or 5 of 5 (满意).
    public var satisfied: Int64 = 0
    public var satisfactionSum: Int64 = 0
    public var satisfactionCount: Int64 = 0
    /// Sum of the stage times of met and missed verdicts, in milliseconds (the exact mean).
    public var elapsedMillisecondsSum: Int64 = 0
    /// Stage times of met and missed verdicts (percentiles).
    public var elapsed = ElapsedHistogram()
    /// Changes applied so far, corrections included: a consumer keeps the highest.
    public var revision: Int64 = 0

    /// An empty cell.
    public init() {}

    /// Counts an outcome in (`sign` 1) or takes it out again (`sign` -1, a corrected verdict).
    public mutating func count(_ o: Outcome, sign: Int64) {
        // A withdrawn overdue stands in its slot for nothing: only the overdue it replaced is taken out.
        guard o.result != .retracted else { revision += 1; return }
        outcomes += sign
        switch o.result {
        case .retracted: break
        case .met: met += sign
        case .missed: missed += sign
        case .voided: voided += sign
        case .overdue: overdue += sign
        case .linked: linked += sign
        case .closed: closed += sign
        case .callback: callbacks += sign
        case .received: received += sign
        case .handled: handled += sign; if o.firstTime == true { firstTime += sign }
        case .answered: answered += sign
        case .reopened: reopened += sign
        case .sentBack: sentBack += sign
        }
        if o.result == .met || o.result == .missed, let e = o.elapsed {
            elapsedMillisecondsSum += sign * e.milliseconds
            elapsed.record(e, times: sign)
        }
        if let s = o.satisfaction, o.result == .callback {
            satisfactionSum += sign * Int64(s)
            satisfactionCount += sign
            if s >= 4 { satisfied += sign }
        }
        revision += 1
    }

    /// Whether nothing is counted (every outcome taken out again).
    public var isEmpty: Bool { outcomes == 0 }

    /// Timeliness (及时率): met ÷ (met + missed); nil without verdicts.
    public var onTimeRate: Double? { met + missed > 0 ? Double(met) / Double(met + missed) : nil }
    /// Callback rate (回访率): callbacks ÷ closures; nil without closures.
    public var callbackRate: Double? { closed > 0 ? Double(callbacks) / Double(closed) : nil }
    /// Average satisfaction of the callbacks; nil without any.
    public var averageSatisfaction: Double? { satisfactionCount > 0 ? Double(satisfactionSum) / Double(satisfactionCount) : nil }
    /// 处理率: tickets handled ÷ received; nil without any received.
    public var handledRate: Double? { received > 0 ? Double(handled) / Double(received) : nil }
    /// 答复率: tickets answered ÷ received.
    public var answeredRate: Double? { received > 0 ? Double(answered) / Double(received) : nil }
    /// 一次解决率: tickets handled without a send-back or reopening ÷ tickets handled.
    public var firstTimeRate: Double? { handled > 0 ? Double(firstTime) / Double(handled) : nil }
    /// 满意率: callbacks scoring 4 or 5 ÷ callbacks with a score.
    public var satisfiedRate: Double? { satisfactionCount > 0 ? Double(satisfied) / Double(satisfactionCount) : nil }
    /// Mean stage time in seconds; nil without timed verdicts.
    public var elapsedMeanSeconds: Double? { elapsed.count > 0 ? Double(elapsedMillisecondsSum) / Double(elapsed.count) / 1000 : nil }

    func encode(into w: inout ByteWriter) {
        for v in [outcomes, met, missed, voided, overdue, linked, closed, callbacks, satisfactionSum, satisfactionCount,
                  elapsedMillisecondsSum, revision] { w.signed(v) }
        elapsed.encode(into: &w)
        // v1.3, after what older states hold.
        for v in [received, handled, answered, reopened, sentBack, firstTime, satisfied] { w.signed(v) }
    }

    /// An upper bound of the bytes ``encode(into:)`` writes, counted without encoding: 19
    /// numbers and the histogram's count, each at most 10 bytes, and each bucket's number and count.
    var storedBytesBound: Int { 20 * 10 + elapsed.bucketCount * 15 }

    static func decode(_ r: inout ByteReader) throws(StateDecodingError) -> RollupCell {
        var c = RollupCell()
        c.outcomes = try r.signed(); c.met = try r.signed(); c.missed = try r.signed(); c.voided = try r.signed()
        c.overdue = try r.signed(); c.linked = try r.signed(); c.closed = try r.signed(); c.callbacks = try r.signed()
        c.satisfactionSum = try r.signed(); c.satisfactionCount = try r.signed()
        c.elapsedMillisecondsSum = try r.signed(); c.revision = try r.signed()
        c.elapsed = try ElapsedHistogram.decode(&r)
        if !r.atEnd {
            c.received = try r.signed(); c.handled = try r.signed(); c.answered = try r.signed()
            c.reopened = try r.signed(); c.sentBack = try r.signed(); c.firstTime = try r.signed()
            if !r.atEnd { c.satisfied = try r.signed() }
        }
        return c
    }
}

extension RollupCell {
    /// The cell as the rollups topic carries it (JSON in UTF-8): its dimensions, numbers, `as_of` and `revision`.
    public func json(_ key: RollupKey, calendar: BusinessCalendar, asOf: Timestamp) -> [UInt8] {
        var j = JSONText()
        j.add("record", "rollup")
        j.add("view", key.view.rawValue)
        j.add("grain", key.window.grain.rawValue)
        j.add("window", key.window.label)
        j.add("window_start", key.window.start, in: calendar)
        j.add("window_end", key.window.end, in: calendar)
        if key.view == .unit {
            j.add("unit", key.owner); j.add("kind", key.kind); j.add("stage", key.stage); j.add("region", key.region)
        } else {
            j.add("agent", key.owner)
            if !key.stage.isEmpty { j.add("stage", key.stage) }
        }
        // One call per field, not a loop over a list of pairs: the list was built for every record.
        j.add("outcomes", outcomes); j.add("met", met); j.add("missed", missed); j.add("voided", voided); j.add("overdue", overdue)
        j.add("linked", linked); j.add("closed", closed); j.add("callbacks", callbacks); j.add("satisfaction_count", satisfactionCount)
        j.add("elapsed_count", elapsed.count); j.add("received", received); j.add("handled", handled); j.add("answered", answered)
        j.add("reopened", reopened); j.add("sent_back", sentBack); j.add("first_time", firstTime); j.add("satisfied", satisfied)
        j.add("on_time_rate", onTimeRate)
        j.add("callback_rate", callbackRate)
        j.add("satisfaction_avg", averageSatisfaction)
        j.add("handled_rate", handledRate)
        j.add("answered_rate", answeredRate)
        j.add("first_time_rate", firstTimeRate)
        j.add("satisfied_rate", satisfiedRate)
        j.add("elapsed_mean_seconds", elapsedMeanSeconds)
        let (p50, p90) = elapsed.quantiles(0.5, 0.9)
        j.add("elapsed_p50_seconds", p50)
        j.add("elapsed_p90_seconds", p90)
        j.add("as_of", asOf, in: calendar)
        j.add("revision", revision)
        return j.bytes()
    }
}
