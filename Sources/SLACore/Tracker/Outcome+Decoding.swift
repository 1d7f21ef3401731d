// Reads outcome records back: the JSON of the outcomes topic, and the compact form rollups store.

extension Outcome {
    /// Longest `elapsed_seconds` read back: the whole representable span (years 1970 to 9999).
    static let maxElapsedSeconds = Double(EventLimits.representable.upperBound.milliseconds / 1000)

    /// Longest `outcome_id` read back: it is made of a subject id, a stage and instants.
    static let maxIdBytes = 1_024

    /// Decodes an outcome record of the outcomes topic, naming the field of every rejection.
    public static func decode(_ bytes: [UInt8]) throws(EventRejection) -> Outcome {
        let f = FieldReader(try EventDecoder.object(bytes), instants: EventLimits.representable)
        let ticket = try f.optionalString("ticket_id", max: EventLimits.subjectId)
        let outage = try f.optionalString("outage_id", max: EventLimits.subjectId)
        let subject: SubjectID
        if let ticket { subject = SubjectID(.ticket, ticket) } else if let outage { subject = SubjectID(.outage, outage) } else {
            throw EventRejection(field: "ticket_id", "missing (and no outage_id either)")
        }
        let kind: SubjectKind = try f.requiredEnum("kind", allowed: SubjectKind.allCases.filter { $0.subject == subject.type })
        let elapsed = try f.optionalDecimal("elapsed_seconds", max: Self.maxElapsedSeconds).map { TimeSpan(milliseconds: Int64(($0 * 1000).rounded())) }
        var o = Outcome(outcomeId: try f.requiredString("outcome_id", max: Self.maxIdBytes), result: try f.requiredEnum("result", allowed: Result.allCases),
                       subject: subject, kind: kind, stage: try f.requiredString("stage", max: EventLimits.name), unit: try f.optionalString("unit", max: EventLimits.name),
                       agent: try f.optionalString("agent", max: EventLimits.name), region: try f.optionalEnum("region", allowed: Region.allCases),
                       customerClass: try f.optionalEnum("customer_class", allowed: CustomerClass.allCases),
                       deadline: try f.optionalTime("deadline"), at: try f.requiredTime("at").0, elapsed: elapsed,
                       satisfaction: try f.optionalInt("satisfaction", range: 1...5), outageId: subject.type == .ticket ? outage : nil)
        o.chargedTo = try f.optionalString("charged_to", max: EventLimits.name)
        o.startedAt = try f.optionalTime("started_at")
        o.cycle = try f.optionalInt("cycle", range: 1...1_000_000)
        o.firstTime = try f.optionalBool("first_time")
        o.receivedAt = try f.optionalTime("received_at")
        return o
    }

    func encode(into w: inout ByteWriter) {
        w.string(outcomeId)
        encodeAfterId(into: &w)
    }

    /// What ``encode(into:)`` writes after the id.
    func encodeAfterId(into w: inout ByteWriter) {
        w.string(result.rawValue); w.string(subject.type.rawValue); w.string(subject.id)
        w.string(kind.rawValue); w.string(stage); w.string(unit ?? ""); w.string(agent ?? "")
        w.string(region?.rawValue ?? ""); w.string(customerClass?.rawValue ?? "")
        w.signed(deadline?.milliseconds ?? Int64.min); w.signed(at.milliseconds); w.signed(elapsed?.milliseconds ?? -1)
        w.signed(Int64(satisfaction ?? 0)); w.string(outageId ?? "")
    }

    static func decode(_ r: inout ByteReader) throws(StateDecodingError) -> Outcome {
        let id = try r.string()
        return try decode(&r, id: id)
    }

    /// Reads what ``encode(into:)`` wrote after the id, the id given (a rollup slot keeps it as
    /// what it adds to the slot's name).
    static func decode(_ r: inout ByteReader, id: String) throws(StateDecodingError) -> Outcome {
        func optional(_ s: String) -> String? { s.isEmpty ? nil : s }
        func optional<E: RawRepresentable>(_ r: inout ByteReader, _: E.Type) throws(StateDecodingError) -> E? where E.RawValue == String {
            let s = try r.string()
            guard !s.isEmpty else { return nil }
            guard let e = E(rawValue: s) else { throw StateDecodingError(reason: "unknown value \"\(s)\"") }
            return e
        }
        let result = try r.value(Result.self)
        let subject = SubjectID(try r.value(SubjectType.self), try r.string())
        let kind = try r.value(SubjectKind.self)
        let stage = try r.string()
        let unit = optional(try r.string()), agent = optional(try r.string())
        let region = try optional(&r, Region.self), customerClass = try optional(&r, CustomerClass.self)
        let deadline = try r.signed(), at = try r.signed(), elapsed = try r.signed(), satisfaction = try r.signed()
        let outageId = optional(try r.string())
        return Outcome(outcomeId: id, result: result, subject: subject, kind: kind, stage: stage, unit: unit, agent: agent, region: region,
                       customerClass: customerClass, deadline: deadline == Int64.min ? nil : Timestamp(milliseconds: deadline),
                       at: Timestamp(milliseconds: at), elapsed: elapsed < 0 ? nil : TimeSpan(milliseconds: elapsed),
                       satisfaction: satisfaction == 0 ? nil : Int(satisfaction), outageId: outageId)
    }
}
