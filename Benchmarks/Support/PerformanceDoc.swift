// Writes one benchmark's section of docs/PERFORMANCE.md, between its markers.

import Foundation

/// A benchmark's section of a Markdown file, between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
public enum PerformanceDoc {
    /// Replaces the section `name` of the file at `path` with `table` (which carries its own
    /// markers), or appends it when the file has none yet.
    public static func write(_ table: String, section name: String, to path: String) throws {
        var doc = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Performance\n"
        if let b = doc.range(of: "<!-- \(name):begin -->"), let e = doc.range(of: "<!-- \(name):end -->\n") {
            doc.replaceSubrange(b.lowerBound..<e.upperBound, with: table)
        } else {
            doc += "\n" + table
        }
        try doc.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
