// A consumer's position reset because its offset was gone: the records between were skipped.

/// librdkafka moved a partition's fetch position because the offset it was to read from is not
/// on the broker (deleted by retention, or past the log's end after a truncation), and went on
/// from where `auto.offset.reset` says. Whatever lay between was never read.
///
/// librdkafka reports it only as a `warning` log line of facility `OFFSET` (errors are logged,
/// plain resets only debug-logged), `<topic> [<partition>]: offset reset (at offset N …, broker B)
/// to …: <reason>: <error>` (after the thread's name); this is that line, read.
public struct OffsetReset: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// The offset it was to read (nil when the line does not say).
    public var from: Int64?
    /// librdkafka's line as it was.
    public var message: String

    /// The reset a log line reports, or nil when it reports none.
    public static func parse(facility: String, level: Int32, message: String) -> OffsetReset? {
        // Warning or worse: a reset for an error; a debug line is a plain start at the policy's offset.
        guard facility == "OFFSET", level <= 4, message.contains("offset reset") else { return nil }
        // librdkafka puts the thread's name first: `[thrd:main]: <topic> [<partition>]: …`.
        var line = Substring(message)
        if line.hasPrefix("[thrd:"), let end = line.firstRange(of: "]: ") { line = line[end.upperBound...] }
        guard let open = line.firstRange(of: " ["), let close = line[open.upperBound...].firstIndex(of: "]"),
              let partition = Int32(line[open.upperBound..<close]) else { return nil }
        let topic = String(line[..<open.lowerBound])
        guard !topic.isEmpty, !topic.contains(" ") else { return nil }
        var from: Int64?
        if let at = line.firstRange(of: "(at offset ") {
            from = Int64(line[at.upperBound...].prefix { $0.isASCII && $0.isNumber })
        }
        return OffsetReset(topic: topic, partition: partition, from: from, message: message)
    }
}
