import Foundation

// Splits an alert expression into the queries that must return a series from a running daemon.

/// An alert expression of deploy/prometheus/alerts.yml is `<signal> <comparison> <threshold>`,
/// or such clauses joined by `and` / `or` / `unless`. Its signals are each clause's sides that
/// are not a plain number: a healthy daemon must return a series for each (an alert that cannot
/// fire because a name or label is wrong would otherwise pass unnoticed).
enum AlertSignals {
    static func of(_ expr: String) -> [String] {
        split(expr, at: ["and", "or", "unless"]).flatMap { clause -> [String] in
            guard let (lhs, rhs) = lastComparison(clause) else { return [clause] }
            return Double(rhs) == nil ? [lhs, rhs] : [lhs]
        }
    }

    /// Top-level positions (outside brackets and quotes) of `body`, with the bracket depth.
    private static func topLevel(_ s: [Character]) -> [Bool] {
        var depth = 0, quoted = false, top: [Bool] = []
        for c in s {
            if c == "\"" { quoted.toggle() }
            if !quoted && "([{".contains(c) { depth += 1 }
            top.append(!quoted && depth == 0)
            if !quoted && ")]}".contains(c) { depth -= 1 }
        }
        return top
    }

    private static func split(_ expr: String, at words: [String]) -> [String] {
        let tokens = expr.split(whereSeparator: \.isWhitespace).map(String.init)
        var parts: [[String]] = [[]], depth = 0
        for t in tokens {
            if depth == 0 && words.contains(t) { parts.append([]); continue }
            depth += t.filter { "([{".contains($0) }.count - t.filter { ")]}".contains($0) }.count
            parts[parts.count - 1].append(t)
        }
        return parts.map { $0.joined(separator: " ") }.filter { !$0.isEmpty }
    }

    /// The clause cut at its last top-level comparison operator, if it has one.
    private static func lastComparison(_ clause: String) -> (String, String)? {
        let s = Array(clause), top = topLevel(s)
        var i = s.count - 1
        while i > 0 {
            if top[i] {
                let two = String(s[i - 1...i])
                if ["==", "!=", ">=", "<="].contains(two) { return cut(s, i - 1, i + 1) }
                if (s[i] == ">" || s[i] == "<") && s[i - 1] != "=" { return cut(s, i, i + 1) }
            }
            i -= 1
        }
        return nil
    }

    private static func cut(_ s: [Character], _ from: Int, _ to: Int) -> (String, String) {
        (String(s[..<from]).trimmingCharacters(in: .whitespacesAndNewlines), String(s[to...]).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
