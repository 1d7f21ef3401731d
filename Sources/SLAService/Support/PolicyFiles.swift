// Loads the policy and calendar the operator names, or the built-in ones.

import Foundation
import SLACore

/// Reads policy and calendar files from disk, falling back to the built-in defaults.
public enum PolicyFiles {
    /// The policy at `path`, or the built-in one when `path` is nil.
    public static func policy(at path: String?) throws(FileProblem) -> Policy {
        guard let path else { return try DefaultFiles.policy() }
        return try PolicyLoader.parse(try read(path), file: path)
    }

    /// The calendar at `path`, or the built-in one when `path` is nil.
    public static func calendar(at path: String?) throws(FileProblem) -> BusinessCalendar {
        guard let path else { return try DefaultFiles.calendar() }
        return try CalendarLoader.parse(try read(path), file: path)
    }

    private static func read(_ path: String) throws(FileProblem) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileProblem(file: path, line: nil, column: nil, reason: "cannot read the file (missing or not readable)")
        }
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else {
            throw FileProblem(file: path, line: nil, column: nil, reason: "not UTF-8 text")
        }
        return text
    }
}
