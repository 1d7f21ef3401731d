// Checks messages against the contract's JSON Schemas (docs/schemas) with a real validator.

import Foundation
import SLAKafka

/// The JSON Schemas of docs/schemas, checked by `scripts/validate-messages` (Python's
/// `jsonschema`, draft 2020-12) in the venv scripts/bootstrap makes. A test hands it messages
/// with the schema each must fit, or must not, and gets back the validator's report.
public enum ContractSchemas {
    /// One message to check.
    public struct Case {
        public var schema: String
        public var message: Any
        public var valid: Bool
        public var what: String
        public init(_ schema: String, _ message: Any, valid: Bool = true, what: String = "") {
            self.schema = schema; self.message = message; self.valid = valid; self.what = what
        }
    }

    /// The repository's root, found from this file.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The schema files' folder.
    public static var folder: URL { root.appendingPathComponent("docs/schemas") }

    /// The venv's Python (`$SLAWATCH_SCHEMA_PYTHON`, else `$SLAWATCH_TOOLS/schema-venv`, else
    /// `~/.cache/slawatch/schema-venv`).
    public static var python: String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["SLAWATCH_SCHEMA_PYTHON"] { return p }
        let tools = env["SLAWATCH_TOOLS"] ?? (NSHomeDirectory() + "/.cache/slawatch")
        return tools + "/schema-venv/bin/python"
    }

    /// Which schema a record of a slawatch output topic is checked against (by its fields).
    public static func schema(ofOutput fields: [String: Any]) -> String {
        switch fields["record"] as? String {
        case "rollup": "rollup-cell.json"
        case "scorecard": "scorecard.json"
        case "agent_scorecard": "agent-scorecard.json"
        case "verdict": "verdict-row.json"
        case "stars": "stars.json"
        default: fields["outcome_id"] != nil ? "outcome.json" : "sla-event.json"
        }
    }

    /// A dead-letter record as the schema sees it: its key and its headers as strings.
    public static func deadLetter(key: [UInt8]?, headers: [(name: String, value: [UInt8]?)]) -> [String: Any] {
        var h: [String: Any] = [:]
        for (name, value) in headers { h[name] = value.map { String(decoding: $0, as: UTF8.self) } ?? NSNull() }
        return ["key": key.map { String(decoding: $0, as: UTF8.self) } ?? NSNull(), "headers": h]
    }

    /// Parses a record's value as a JSON object.
    public static func object(_ bytes: [UInt8]?) -> [String: Any]? {
        bytes.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    /// Runs the validator over `cases`; returns whether every one came out as expected, and its report.
    public static func check(_ cases: [Case]) throws -> (ok: Bool, report: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-contract-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        var text = Data()
        for c in cases {
            let line: [String: Any] = ["schema": c.schema, "expect": c.valid ? "valid" : "invalid", "message": c.message, "what": c.what]
            text.append(try JSONSerialization.data(withJSONObject: line))
            text.append(0x0A)
        }
        try text.write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [root.appendingPathComponent("scripts/validate-messages").path, folder.path, file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus == 0, report)
    }
}
