// Typed, position-aware reading of a YAML document, so every refusal says where.

import Yams

/// A node of a parsed YAML file, with typed accessors whose errors carry the file, line and
/// column. Every file slawatch reads (policy, calendar, configuration) goes through it.
public struct YAMLNode {
    let node: Node
    /// The file as the operator named it.
    public let file: String
    /// Dotted path of keys from the root, for messages (`stages[2].limit`).
    public let path: String

    /// Parses `text`; a syntax error becomes a ``FileProblem`` at the parser's position.
    public static func parse(_ text: String, file: String) throws(FileProblem) -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw FileProblem(file: file, line: nil, column: nil, reason: "the file is empty")
            }
            return YAMLNode(node: node, file: file, path: "")
        } catch let p as FileProblem {
            throw p
        } catch let e as YamlError {
            throw located(e, file: file)
        } catch {
            throw FileProblem(file: file, line: nil, column: nil, reason: "not valid YAML: \(error)")
        }
    }

    private static func located(_ e: YamlError, file: String) -> FileProblem {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let why = context.map { "\($0.text), \(problem)" } ?? problem
            return FileProblem(file: file, line: mark.line, column: mark.column, reason: "not valid YAML: \(why)")
        default:
            return FileProblem(file: file, line: nil, column: nil, reason: "not valid YAML: \(e)")
        }
    }

    /// A problem located at this node.
    public func problem(_ reason: String) -> FileProblem {
        FileProblem(file: file, line: node.mark.map { $0.line }, column: node.mark.map { $0.column },
                    reason: path.isEmpty ? reason : "\(path): \(reason)")
    }

    private func child(_ n: Node, _ sub: String) -> YAMLNode {
        YAMLNode(node: n, file: file, path: path.isEmpty ? sub : (sub.hasPrefix("[") ? path + sub : path + "." + sub))
    }

    /// The keys and values of a mapping, in file order; refuses keys outside `allowed`.
    public func mapping(allowed: Set<String>? = nil) throws(FileProblem) -> [(String, YAMLNode)] {
        guard case .mapping(let m) = node else { throw problem("expected a mapping (key: value lines)") }
        var out: [(String, YAMLNode)] = []
        var seen = Set<String>()
        for (k, v) in m {
            let key = YAMLNode(node: k, file: file, path: path)
            guard case .scalar(let s) = k else { throw key.problem("keys must be plain words") }
            if let allowed, !allowed.contains(s.string) {
                throw key.problem("unknown key \"\(s.string)\" (expected one of \(allowed.sorted().joined(separator: ", ")))")
            }
            guard seen.insert(s.string).inserted else { throw key.problem("key \"\(s.string)\" appears twice") }
            out.append((s.string, child(v, s.string)))
        }
        return out
    }

    /// The items of a sequence; a single scalar is read as a one-item sequence.
    public func sequence() throws(FileProblem) -> [YAMLNode] {
        switch node {
        case .sequence(let s): return s.enumerated().map { child($0.element, "[\($0.offset)]") }
        case .scalar: return [self]
        default: throw problem("expected a list")
        }
    }

    /// True when the node is a mapping.
    public var isMapping: Bool { if case .mapping = node { return true }; return false }

    /// The text of a scalar.
    public func string() throws(FileProblem) -> String {
        guard case .scalar(let s) = node else { throw problem("expected a single value") }
        return s.string
    }

    /// A non-empty scalar.
    public func nonEmptyString() throws(FileProblem) -> String {
        let s = try string()
        guard !s.isEmpty else { throw problem("must not be empty") }
        return s
    }

    /// A whole number.
    public func int() throws(FileProblem) -> Int {
        let s = try string()
        guard let i = Int(s) else { throw problem("expected a whole number, got \"\(s)\"") }
        return i
    }

    /// A number.
    public func double() throws(FileProblem) -> Double {
        let s = try string()
        guard let d = Double(s), d.isFinite else { throw problem("expected a number, got \"\(s)\"") }
        return d
    }

    /// `true` or `false`.
    public func bool() throws(FileProblem) -> Bool {
        switch try string() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let s: throw problem("expected true or false, got \"\(s)\"")
        }
    }

    /// A span in policy notation (`45m`, `1h30m`, `-1d`).
    public func span() throws(FileProblem) -> TimeSpan {
        let s = try string()
        guard let t = TimeSpan.parse(s) else {
            throw problem("not a duration: \"\(s)\" (write e.g. 45m, 2h, 1h30m, 7d)")
        }
        return t
    }

    /// One value of a string enum, listing the allowed values when it is not one.
    public func oneOf<E: RawRepresentable>(_ allowed: [E], what: String) throws(FileProblem) -> E where E.RawValue == String {
        let s = try string()
        guard let e = allowed.first(where: { $0.rawValue == s }) else {
            throw problem("unknown \(what) \"\(s)\" (expected one of \(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
        return e
    }
}
