// Logs as one JSON object per line: what journald and log shippers read best.

import Foundation
import Logging
import SLACore

/// A swift-log backend writing `{"ts":…,"level":…,"component":…,"message":…, …metadata}` lines.
///
/// `component` is the logger's label (`slawatch.worker`, `slawatch.kafka` for librdkafka's own
/// log lines); metadata keys become members (`partition`, `subject`, `reason` …). Each line is
/// written with one `write(2)`, so lines from different threads never interleave. Values are
/// printed as the code gave them: secrets never reach a logger (configurations log through
/// their masked description).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let fileDescriptor: Int32

    /// A handler for `label`, writing to `fileDescriptor` (1: standard output).
    public init(label: String, level: Logger.Level = .info, fileDescriptor: Int32 = 1) {
        self.label = label
        self.logLevel = level
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = Self.line(level: event.level, label: label, message: "\(event.message)",
                             metadata: metadata.merging(event.metadata ?? [:]) { $1 }, at: Date())
        FileDescriptorWriter.write(line, to: fileDescriptor)
    }

    /// One log line, newline included.
    static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, at date: Date) -> String {
        var j = JSONText()
        j.add("ts", RFC3339.format(Timestamp(milliseconds: Int64(date.timeIntervalSince1970 * 1000)), offsetSeconds: 0))
        j.add("level", level.rawValue)
        j.add("component", label)
        j.add("message", message)
        for (k, v) in metadata.sorted(by: { $0.key < $1.key }) where !["ts", "level", "component", "message"].contains(k) {
            j.add(k, "\(v)")
        }
        return j.text + "\n"
    }
}
