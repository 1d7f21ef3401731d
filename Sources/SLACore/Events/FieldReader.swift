// Typed access to the members of a decoded JSON object, failing with field-named rejections.

/// Reads typed fields out of a JSON object; each failure names its field.
struct FieldReader {
    private let o: JSONMembers
    /// The instants a time field may name (``EventLimits/accepted`` for input events).
    private let instants: Range<Timestamp>

    init(_ o: JSONMembers, instants: Range<Timestamp> = EventLimits.accepted) { self.o = o; self.instants = instants }

    /// A member that is present and not null.
    fileprivate func present(_ name: String) -> JSONValue? {
        guard let v = o[name] else { return nil }
        if case .null = v { return nil }
        return v
    }

    func requiredString(_ name: String, max: Int) throws(EventRejection) -> String {
        guard let s = try optionalString(name, max: max) else { throw EventRejection(field: name, "missing") }
        return s
    }

    /// A non-empty string of at most `max` UTF-8 bytes (``EventLimits``).
    func optionalString(_ name: String, max: Int) throws(EventRejection) -> String? {
        guard let v = present(name) else { return nil }
        guard case .string(let s) = v else { throw EventRejection(field: name, "must be a string, got \(v.sketch)") }
        guard !s.isEmpty else { throw EventRejection(field: name, "must not be empty") }
        try Self.check(length: s.utf8.count, max: max, name)
        return s
    }

    private static func check(length: Int, max: Int, _ name: String) throws(EventRejection) {
        guard length <= max else { throw EventRejection(field: name, "\(length) bytes long; at most \(max) are accepted") }
    }

    func requiredEnum<E: RawRepresentable>(_ name: String, allowed: [E]) throws(EventRejection) -> E where E.RawValue == String {
        guard let e: E = try optionalEnum(name, allowed: allowed) else { throw EventRejection(field: name, "missing") }
        return e
    }

    func optionalEnum<E: RawRepresentable>(_ name: String, allowed: [E]) throws(EventRejection) -> E? where E.RawValue == String {
        guard let v = present(name) else { return nil }
        guard case .string(let s) = v else { throw EventRejection(field: name, "must be a string, got \(v.sketch)") }
        guard let e = allowed.first(where: { $0.rawValue == s }) else {
            throw EventRejection(field: name, "unknown value \(JSONText.quoted(s)) (expected one of \(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
        return e
    }

    func requiredTime(_ name: String) throws(EventRejection) -> (Timestamp, Int) {
        guard let v = present(name) else { throw EventRejection(field: name, "missing") }
        return try time(name, v)
    }

    func optionalTime(_ name: String) throws(EventRejection) -> Timestamp? {
        guard let v = present(name) else { return nil }
        return try time(name, v).0
    }

    private func time(_ name: String, _ v: JSONValue) throws(EventRejection) -> (Timestamp, Int) {
        guard case .string(let s) = v else { throw EventRejection(field: name, "must be an RFC 3339 string, got \(v.sketch)") }
        guard let parsed = RFC3339.parse(s) else {
            throw EventRejection(field: name, "not an RFC 3339 timestamp: \(JSONText.quoted(s))")
        }
        if let why = EventLimits.refusal(of: parsed.0, in: instants) { throw EventRejection(field: name, "\(JSONText.quoted(s)) is \(why)") }
        return (parsed.0, parsed.offsetSeconds)
    }

    func optionalInt(_ name: String, range: ClosedRange<Int>) throws(EventRejection) -> Int? {
        guard let v = present(name) else { return nil }
        guard case .number(let n) = v, let i = Int(n), range.contains(i) else {
            throw EventRejection(field: name, "must be an integer \(range.lowerBound)..\(range.upperBound), got \(v.sketch)")
        }
        return i
    }

    func optionalBool(_ name: String) throws(EventRejection) -> Bool? {
        guard let v = present(name) else { return nil }
        guard case .bool(let b) = v else { throw EventRejection(field: name, "must be true or false, got \(v.sketch)") }
        return b
    }

    /// An array of at most ``EventLimits/listEntries`` non-empty strings of at most
    /// ``EventLimits/name`` bytes each.
    func stringArray(_ name: String) throws(EventRejection) -> [String] {
        guard let v = present(name) else { return [] }
        guard case .array(let items) = v else { throw EventRejection(field: name, "must be an array of strings, got \(v.sketch)") }
        guard items.count <= EventLimits.listEntries else {
            throw EventRejection(field: name, "\(items.count) entries; at most \(EventLimits.listEntries) are accepted")
        }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            guard case .string(let s) = item, !s.isEmpty else {
                throw EventRejection(field: "\(name)[\(k)]", "must be a non-empty string, got \(item.sketch)")
            }
            try Self.check(length: s.utf8.count, max: EventLimits.name, "\(name)[\(k)]")
            out.append(s)
        }
        return out
    }
}

extension FieldReader {
    /// A non-negative decimal number (seconds with a fraction) of at most `max`.
    func optionalDecimal(_ name: String, max: Double) throws(EventRejection) -> Double? {
        guard let v = present(name) else { return nil }
        guard case .number(let n) = v, let d = Double(n), d.isFinite, d >= 0 else {
            throw EventRejection(field: name, "must be a non-negative number, got \(v.sketch)")
        }
        // Found by libFuzzer: a value past Int64's milliseconds trapped in the conversion.
        guard d <= max else { throw EventRejection(field: name, "\(v.sketch) is more than \(Int(max))") }
        return d
    }
}
