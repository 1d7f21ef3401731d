// What every librdkafka client slawatch creates reports back: its log lines and its statistics.

import CRdKafka
import Foundation
import Logging

/// The logger librdkafka's log lines go to (label `slawatch.kafka`), at the matching level.
/// The executable bootstraps the backend (JSON lines for journald).
public enum KafkaLog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var current = Logger(label: "slawatch.kafka")

    /// The logger used for librdkafka's own lines; replaceable (tests capture it).
    public static var logger: Logger {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// swift-log's level for a syslog level as librdkafka reports it.
    static func level(syslog: Int32) -> Logger.Level {
        switch syslog {
        case ...2: return .critical
        case 3: return .error
        case 4: return .warning
        case 5: return .notice
        case 6: return .info
        default: return .debug
        }
    }
}

/// Per-client context librdkafka hands back to the C callbacks (its `opaque`).
class ClientContext: @unchecked Sendable {
    // @unchecked: set before the client exists and only read afterwards.
    let statistics: (@Sendable (String) -> Void)?
    /// A producer's receiver of the reports of numbered records.
    let numberedDeliveries: NumberedDeliveries?
    /// A consumer's receiver of the positions reset past records it never read (see ``OffsetReset``).
    let offsetReset: (@Sendable (OffsetReset) -> Void)?
    init(statistics: (@Sendable (String) -> Void)?, numberedDeliveries: NumberedDeliveries? = nil,
         offsetReset: (@Sendable (OffsetReset) -> Void)? = nil) {
        self.statistics = statistics
        self.numberedDeliveries = numberedDeliveries
        self.offsetReset = offsetReset
    }

    /// Installs the log and statistics callbacks on a native config, with `self` as opaque.
    func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf, logCallback)
        if statistics != nil { rd_kafka_conf_set_stats_cb(conf, statisticsCallback) }
    }
}

/// librdkafka's log callback: runs on its internal threads; swift-log handlers are thread-safe.
private func logCallback(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ buf: UnsafePointer<CChar>?) {
    let client = rk.map { String(cString: rd_kafka_name($0)) } ?? "rdkafka"
    let message = buf.map { String(cString: $0) } ?? "", fac = facility.map { String(cString: $0) } ?? ""
    KafkaLog.logger.log(level: KafkaLog.level(syslog: level), "\(message)", metadata: ["client": .string(client), "facility": .string(fac)])
    // A position reset past unread records is only ever a log line: it is handed on, not just logged.
    if let rk, let opaque = rd_kafka_opaque(rk), let reset = OffsetReset.parse(facility: fac, level: level, message: message) {
        Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue().offsetReset?(reset)
    }
}

/// librdkafka's statistics callback (every `statistics.interval.ms`); returning 0 lets it free the JSON.
private func statisticsCallback(_ rk: OpaquePointer?, _ json: UnsafeMutablePointer<CChar>?, _ len: Int, _ opaque: UnsafeMutableRawPointer?) -> Int32 {
    guard let opaque, let json else { return 0 }
    let ctx = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    ctx.statistics?(String(decoding: UnsafeRawBufferPointer(start: json, count: len), as: UTF8.self))
    return 0
}
