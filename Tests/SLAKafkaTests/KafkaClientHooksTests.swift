import Foundation
import Logging
import Testing
@testable import SLAKafka

/// Keeps every log entry it is given.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []
    func add(_ level: Logger.Level, _ message: String) { lock.withLock { entries.append((level, message)) } }
    var all: [(Logger.Level, String)] { lock.withLock { entries } }
}

struct CaptureHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        sink.add(event.level, event.message.description + " " + (event.metadata ?? [:]).map { "\($0)=\($1)" }.joined(separator: " "))
    }
}

@Suite(.serialized) struct KafkaClientHooksTests {
    @Test func routesLibrdkafkaLogsAndNeverPrintsSecrets() throws {
        let sink = CapturedLogs()
        let previous = KafkaLog.logger
        KafkaLog.logger = Logger(label: "slawatch.kafka") { _ in CaptureHandler(sink: sink) }
        defer { KafkaLog.logger = previous }
        do {
            // Nobody listens on port 1: librdkafka logs the refused connection as an error.
            let p = try KafkaProducer(config: KafkaConfig([
                "bootstrap.servers": "127.0.0.1:1", "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": "PLAIN",
                "sasl.username": "slawatch", "sasl.password": "s3cret-Pa55", "debug": "conf,security,broker",
            ]))
            let end = Date().addingTimeInterval(10)
            while Date() < end, !sink.all.contains(where: { $0.1.contains("Connection refused") }) { Thread.sleep(forTimeInterval: 0.05) }
            _ = p
        }
        let entries = sink.all
        #expect(entries.contains { $0.0 == .error && $0.1.contains("Connection refused") })
        #expect(entries.contains { $0.0 == .debug })  // debug lines come through at debug level
        #expect(entries.count > 5)
        // The config dump (debug=conf) went through, SASL lines included, yet no line has the password.
        #expect(entries.contains { $0.1.contains("sasl.username") })
        #expect(!entries.contains { $0.1.contains("s3cret-Pa55") })
    }

    @Test func deliversStatistics() throws {
        let broker = try DevBroker(brokers: 1)
        let got = CapturedLogs()
        let p = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "statistics.interval.ms": "100"])) { json in
            got.add(.info, json)
        }
        let end = Date().addingTimeInterval(10)
        while Date() < end, got.all.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        _ = p
        let json = try #require(got.all.first?.1)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["type"] as? String == "producer")
        #expect(object?["brokers"] != nil)
    }
}
