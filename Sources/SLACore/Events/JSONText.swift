// Writing JSON text: string quoting and a small ordered object writer for emitted events.

/// Builds one JSON object with keys in the order they are added (stable, readable output).
public struct JSONText {
    private var out = "{"
    private var first = true

    /// An empty object.
    public init() {}

    /// A JSON string literal for `s`, escaped per RFC 8259.
    public static func quoted(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            case _ where u.value < 0x20:
                r += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
            default: r.unicodeScalars.append(u)
            }
        }
        return r + "\""
    }

    private mutating func key(_ k: String) {
        if !first { out += "," }
        first = false
        out += JSONText.quoted(k) + ":"
    }

    /// Adds a string member; nil adds nothing.
    public mutating func add(_ k: String, _ v: String?) {
        guard let v else { return }
        key(k); out += JSONText.quoted(v)
    }

    /// Adds an integer member; nil adds nothing.
    public mutating func add(_ k: String, _ v: Int64?) {
        guard let v else { return }
        key(k); out += String(v)
    }

    /// Adds a number member with up to three decimals; nil adds nothing.
    public mutating func add(_ k: String, _ v: Double?) {
        guard let v else { return }
        key(k); out += String(format3: v)
    }

    /// Adds a boolean member; nil adds nothing.
    public mutating func add(_ k: String, _ v: Bool?) {
        guard let v else { return }
        key(k); out += v ? "true" : "false"
    }

    /// Adds an array of strings; an empty array adds nothing.
    public mutating func add(_ k: String, _ v: [String]) {
        guard !v.isEmpty else { return }
        key(k); out += "[" + v.map(JSONText.quoted).joined(separator: ",") + "]"
    }

    /// The finished object.
    public var text: String { out + "}" }
}

extension String {
    /// A decimal rendering with at most three fraction digits and no exponent (for shares).
    init(format3 v: Double) {
        let scaled = (v * 1000).rounded()
        let whole = Int64(scaled / 1000)
        let frac = Int64(abs(scaled.truncatingRemainder(dividingBy: 1000)))
        var s = (v < 0 && whole == 0 ? "-" : "") + String(whole)
        if frac != 0 {
            var f = ASCIIDigits.padded(Int(frac), 3)
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        self = s
    }
}
