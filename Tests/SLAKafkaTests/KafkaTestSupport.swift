// Test helpers: release a native config; run kcat against a broker.

import CRdKafka
import Foundation

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
}
