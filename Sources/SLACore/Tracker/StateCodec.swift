// The stored form of a subject's state (the changelog record's value).

/// Encodes ``SubjectState`` to compact bytes and back.
///
/// Enum values and stage ids are stored by name, not position, so a reordered enum or an
/// edited policy never misreads old records; marks of stages the policy no longer has are dropped.
public enum StateCodec {
    /// Format version written as the first byte. Version 3 adds the timer's due time, so a
    /// restored subject is re-armed without re-evaluating it (and catch-up knows what is late);
    /// version 4 adds, per cycle, the published deadline, its revision, the waiting reason and
    /// the alarms' revisions, and per subject the files it was evaluated under. Versions 2 and 3
    /// still decode (no due time; no published deadlines, which the next step fills in).
    /// Version 5 adds the subject's refusal (``SubjectRefusal``); version 6 the link's time, the
    /// related ticket (`related_ticket_id`) and, per cycle, how often it was withdrawn.
    static let version: UInt8 = 6

    private enum Field: UInt16 {
        case unit = 1, region = 2, customerClass = 4, agent = 8, reportedTo = 16, multiUnit = 32
        case satisfaction = 64, feeder = 128, area = 256, startAt = 512, estRestoreAt = 1024
    }

    /// The bytes of a state.
    public static func encode(_ s: SubjectState, policy: Policy) -> [UInt8] {
        var w = ByteWriter()
        w.byte(version)
        w.string(s.kind.rawValue)
        w.string(s.linkedOutage ?? "")
        w.byte(s.linkEmitted ? 1 : 0)
        w.varint(UInt64(s.facts.count))
        for f in s.facts {
            w.fixed64(f.eventHash)
            w.signed(f.time.milliseconds)
            w.string(f.action.rawValue)
            var present: UInt16 = 0
            func flag(_ x: Any?, _ field: Field) { if x != nil { present |= field.rawValue } }
            flag(f.unit, .unit); flag(f.region, .region); flag(f.customerClass, .customerClass)
            flag(f.agent, .agent); flag(f.reportedTo, .reportedTo); flag(f.multiUnit, .multiUnit)
            flag(f.satisfaction, .satisfaction); flag(f.feeder, .feeder); flag(f.area, .area)
            flag(f.startAt, .startAt); flag(f.estRestoreAt, .estRestoreAt)
            w.varint(UInt64(present))
            if let v = f.unit { w.string(v) }
            if let v = f.region { w.string(v.rawValue) }
            if let v = f.customerClass { w.string(v.rawValue) }
            if let v = f.agent { w.string(v) }
            if let v = f.reportedTo { w.string(v.rawValue) }
            if let v = f.multiUnit { w.byte(v ? 1 : 0) }
            if let v = f.satisfaction { w.varint(UInt64(v)) }
            if let v = f.feeder { w.string(v) }
            if let v = f.area { w.string(v) }
            if let v = f.startAt { w.signed(v.milliseconds) }
            if let v = f.estRestoreAt { w.signed(v.milliseconds) }
        }
        w.varint(UInt64(s.marks.count))
        for m in s.marks {
            w.string(policy.stages[m.stage].id)
            w.signed(m.start)
            w.varint(UInt64(m.bits))
            if let end = m.verdictEnd { w.byte(1); w.signed(end) } else { w.byte(0) }
            if let d = m.deadline { w.byte(1); w.signed(d) } else { w.byte(0) }
            w.varint(UInt64(m.revision))
            w.string(m.waiting?.rawValue ?? "")
            w.varint(UInt64(m.alarmRevisions.count))
            for a in m.alarmRevisions { w.varint(UInt64(a.flag)); w.varint(UInt64(a.revision)) }
            w.varint(UInt64(m.withdrawals))
        }
        if let t = s.scheduledAt { w.byte(1); w.signed(t.milliseconds) } else { w.byte(0) }
        w.fixed64(s.filesTag)
        if let r = s.refusal {
            w.byte(1); w.signed(r.at.milliseconds); w.signed(r.forgetAt.milliseconds); w.string(r.text)
        } else {
            w.byte(0)
        }
        if let t = s.linkedAt { w.byte(1); w.signed(t.milliseconds) } else { w.byte(0) }
        w.string(s.linkedTicket ?? "")
        return w.bytes
    }

    /// At least the size of ``encode(_:policy:)``'s bytes, computed without encoding (the
    /// tracker checks it on every event; a varint is counted at its widest).
    static func sizeBound(of s: SubjectState, policy: Policy) -> Int {
        var n = 80 + s.kind.rawValue.utf8.count + (s.linkedOutage?.utf8.count ?? 0) + (s.linkedTicket?.utf8.count ?? 0)
        for f in s.facts { n += sizeBound(of: f) }
        for m in s.marks { n += 96 + policy.stages[m.stage].id.utf8.count + m.alarmRevisions.count * 16 }
        if let r = s.refusal { n += 32 + r.text.utf8.count }
        return n
    }

    /// At least the bytes one fact adds to a stored state.
    static func sizeBound(of f: Fact) -> Int {
        // hash, time, action, presence, enums, flags and instants at their widest; then the texts.
        160 + (f.unit?.utf8.count ?? 0) + (f.agent?.utf8.count ?? 0) + (f.feeder?.utf8.count ?? 0) + (f.area?.utf8.count ?? 0)
    }

    /// The state stored in `bytes`.
    public static func decode(_ bytes: [UInt8], policy: Policy) throws(StateDecodingError) -> SubjectState {
        var r = ByteReader(bytes)
        let v = try r.byte()
        guard (2...version).contains(v) else { throw StateDecodingError(reason: "format version \(v), this build reads 2 to \(version)") }
        var s = SubjectState(kind: try r.value(SubjectKind.self))
        let link = try r.string()
        s.linkedOutage = link.isEmpty ? nil : link
        s.linkEmitted = try r.byte() == 1
        let factCount = try r.varint()
        guard factCount <= 100_000 else { throw StateDecodingError(reason: "implausible history length \(factCount)") }
        for _ in 0..<factCount {
            var f = Fact(eventHash: try r.fixed64(), time: Timestamp(milliseconds: try r.signed()),
                         action: try r.value(LifecycleAction.self))
            let present = UInt16(truncatingIfNeeded: try r.varint())
            func has(_ field: Field) -> Bool { present & field.rawValue != 0 }
            if has(.unit) { f.unit = try r.string() }
            if has(.region) { f.region = try r.value(Region.self) }
            if has(.customerClass) { f.customerClass = try r.value(CustomerClass.self) }
            if has(.agent) { f.agent = try r.string() }
            if has(.reportedTo) { f.reportedTo = try r.value(ReportedTo.self) }
            if has(.multiUnit) { f.multiUnit = try r.byte() == 1 }
            if has(.satisfaction) { f.satisfaction = Int(try r.varint()) }
            if has(.feeder) { f.feeder = try r.string() }
            if has(.area) { f.area = try r.string() }
            if has(.startAt) { f.startAt = Timestamp(milliseconds: try r.signed()) }
            if has(.estRestoreAt) { f.estRestoreAt = Timestamp(milliseconds: try r.signed()) }
            s.insert(f)
        }
        let markCount = try r.varint()
        guard markCount <= 100_000 else { throw StateDecodingError(reason: "implausible mark count \(markCount)") }
        for _ in 0..<markCount {
            let stageId = try r.string()
            let start = Timestamp(milliseconds: try r.signed())
            let bits = UInt32(truncatingIfNeeded: try r.varint())
            var m = StageMark(stage: 0, start: start.milliseconds, bits: bits)
            m.verdictEnd = try r.byte() == 1 ? try r.signed() : nil
            if v >= 4 {
                m.deadline = try r.byte() == 1 ? try r.signed() : nil
                m.revision = UInt16(truncatingIfNeeded: try r.varint())
                let waiting = try r.string()
                if !waiting.isEmpty {
                    guard let code = UnresolvedReason.Code(rawValue: waiting) else { throw StateDecodingError(reason: "unknown waiting reason \"\(waiting)\"") }
                    m.waiting = code
                }
                let n = try r.varint()
                guard n <= 64 else { throw StateDecodingError(reason: "implausible alarm revision count \(n)") }
                for _ in 0..<n {
                    m.alarmRevisions.append(.init(flag: UInt32(truncatingIfNeeded: try r.varint()), revision: UInt16(truncatingIfNeeded: try r.varint())))
                }
            }
            if v >= 6 { m.withdrawals = UInt16(truncatingIfNeeded: try r.varint()) }
            if let index = policy.stages.firstIndex(where: { $0.id == stageId }) {
                m.stage = index
                s.update(m)
            }
        }
        if v >= 3, try r.byte() == 1 { s.scheduledAt = Timestamp(milliseconds: try r.signed()) }
        if v >= 4 { s.filesTag = try r.fixed64() }
        if v >= 5, try r.byte() == 1 {
            let at = Timestamp(milliseconds: try r.signed()), forgetAt = Timestamp(milliseconds: try r.signed())
            s.refusal = SubjectRefusal(at: at, text: try r.string(), forgetAt: forgetAt)
        }
        if v >= 6 {
            if try r.byte() == 1 { s.linkedAt = Timestamp(milliseconds: try r.signed()) }
            let related = try r.string()
            s.linkedTicket = related.isEmpty ? nil : related
        }
        guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes after the state") }
        return s
    }
}
