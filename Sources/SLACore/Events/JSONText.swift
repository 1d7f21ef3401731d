// Writing JSON text: string quoting and a small ordered object writer for emitted events.

/// Builds one JSON object with keys in the order they are added (stable, readable output).
///
/// The object is written as UTF-8 bytes into one growing buffer: every emitted event is
/// written on the worker's hot path, and building it from Swift strings piece by piece cost
/// more than deciding what the event says.
public struct JSONText {
    private var out: [UInt8]
    private var first = true

    /// An empty object.
    public init() {
        out = []
        out.reserveCapacity(384)
        out.append(UInt8(ascii: "{"))
    }

    /// A JSON string literal for `s`, escaped per RFC 8259.
    public static func quoted(_ s: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal: quotes, backslashes and control characters
    /// escaped, everything else (multi-byte UTF-8 included) copied as it is.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s  // withUTF8 may make a lazily bridged string contiguous, so it needs a var
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func key(_ k: String) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONText.appendQuoted(k, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    /// Adds a string member; nil adds nothing.
    public mutating func add(_ k: String, _ v: String?) {
        guard let v else { return }
        key(k)
        JSONText.appendQuoted(v, to: &out)
    }

    /// Adds an integer member; nil adds nothing.
    public mutating func add(_ k: String, _ v: Int64?) {
        guard let v else { return }
        key(k)
        ASCIIDigits.append(v, to: &out)
    }

    /// Adds a number member with up to three decimals; nil adds nothing.
    public mutating func add(_ k: String, _ v: Double?) {
        guard let v else { return }
        key(k)
        JSONText.appendFormat3(v, to: &out)
    }

    /// Adds a boolean member; nil adds nothing.
    public mutating func add(_ k: String, _ v: Bool?) {
        guard let v else { return }
        key(k)
        out.append(contentsOf: (v ? "true" : "false").utf8)
    }

    /// Adds an instant as an RFC 3339 string at a UTC offset; nil adds nothing.
    public mutating func add(_ k: String, _ t: Timestamp?, offsetSeconds: Int) {
        guard let t else { return }
        key(k)
        out.append(UInt8(ascii: "\""))
        RFC3339.write(t, offsetSeconds: offsetSeconds, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Adds an instant as an RFC 3339 string at the calendar zone's offset; nil adds nothing.
    public mutating func add(_ k: String, _ t: Timestamp?, in calendar: BusinessCalendar) {
        guard let t else { return }
        add(k, t, offsetSeconds: calendar.offsetSeconds(at: t))
    }

    /// Adds an array of strings; an empty array adds nothing.
    public mutating func add(_ k: String, _ v: [String]) {
        guard !v.isEmpty else { return }
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(s, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Adds a nested object; nil adds nothing.
    public mutating func add(_ k: String, object v: JSONText?) {
        guard let v else { return }
        key(k)
        out += v.bytes()
    }

    /// Adds an array of objects (an empty one as `[]`).
    public mutating func add(_ k: String, objects v: [JSONText]) {
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, o) in v.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += o.bytes()
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The finished object as UTF-8 bytes (what a Kafka record carries); consuming, so the
    /// buffer is closed in place rather than copied.
    public consuming func bytes() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The finished object.
    public var text: String {
        let finished = self
        return String(decoding: finished.bytes(), as: UTF8.self)
    }
}

extension JSONText {
    /// Appends a decimal rendering with at most three fraction digits and no exponent (for
    /// shares): rounded to the thousandth, trailing zeros of the fraction left out. Written as
    /// bytes: a rollup record carries about ten such numbers, and a string for each cost more
    /// than the rest of the record.
    static func appendFormat3(_ v: Double, to out: inout [UInt8]) {
        let scaled = (v * 1000).rounded()
        let whole = Int64(scaled / 1000)
        var frac = Int(abs(scaled.truncatingRemainder(dividingBy: 1000)))
        if v < 0 && whole == 0 { out.append(UInt8(ascii: "-")) }
        ASCIIDigits.append(whole, to: &out)
        guard frac != 0 else { return }
        out.append(UInt8(ascii: "."))
        var digits = 3
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        ASCIIDigits.appendPadded(frac, digits, to: &out)
    }
}

extension String {
    /// A decimal rendering with at most three fraction digits and no exponent (for shares).
    init(format3 v: Double) {
        var bytes: [UInt8] = []
        JSONText.appendFormat3(v, to: &bytes)
        self = String(decoding: bytes, as: UTF8.self)
    }
}
