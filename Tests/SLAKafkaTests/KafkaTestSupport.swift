// Test helpers: release a native config; run kcat against a broker; gather delivery reports.

import CRdKafka
import Foundation
import Testing
@testable import SLAKafka

func rd_destroy(_ conf: OpaquePointer) { rd_kafka_conf_destroy(conf) }

/// Runs the Debian `kcat` client (installed by scripts/bootstrap) with arguments and input.
enum Kcat {
    static func run(_ args: [String], input: String = "", timeout: Double = 20) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        p.arguments = args
        let i = Pipe(), o = Pipe(), e = Pipe()
        p.standardInput = i; p.standardOutput = o; p.standardError = e
        try p.run()
        i.fileHandleForWriting.write(Data(input.utf8))
        try i.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// Every record of `topic` from the beginning, one formatted line each.
    static func consumeAll(_ broker: DevBroker, _ topic: String, format: String = "%k|%s\n") throws -> [String] {
        let r = try run(["-b", broker.bootstrapServers, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", format])
        #expect(r.status == 0, "\(r.err)")
        return r.out.split(separator: "\n").map(String.init)
    }
}

/// Delivery results gathered from the poll thread.
final class DeliveryReports: @unchecked Sendable {
    // @unchecked: every access holds the lock.
    private let lock = NSLock()
    private var items: [Result<DeliveryReport, KafkaError>] = []
    func add(_ r: Result<DeliveryReport, KafkaError>) { lock.withLock { items.append(r) } }
    var all: [Result<DeliveryReport, KafkaError>] { lock.withLock { items } }
    var successes: [DeliveryReport] { all.compactMap { try? $0.get() } }
}

/// Collects the reports of numbered records from the producer's poll thread.
final class NumberedReports: @unchecked Sendable {
    // @unchecked: every access holds the lock.
    private let lock = NSLock()
    private var items: [(UInt64, DeliveryFailure?)] = []
    func add(_ n: UInt64, _ f: DeliveryFailure?) { lock.withLock { items.append((n, f)) } }
    var all: [(UInt64, DeliveryFailure?)] { lock.withLock { items } }
}
