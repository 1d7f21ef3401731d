// A child process of the harness: the development broker or a worker.

import Foundation

/// A `slawatch` subcommand run as a child, with its output in a file and (for the broker) a
/// command pipe on stdin.
final class ChaosProcess: @unchecked Sendable {
    // @unchecked: used from the harness's one thread.
    let name: String
    private let process = Process()
    private let input = Pipe()

    init(name: String, binary: String, arguments: [String], logDirectory: String) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"  // a crash ends the child at once
        process.environment = env
        let log = logDirectory + "/" + name + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let out = FileHandle(forWritingAtPath: log)!
        out.seekToEndOfFile()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = input
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    /// How it ended: "exit N", "signal N", or "running".
    var ending: String {
        guard !process.isRunning else { return "running" }
        return process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "exit \(process.terminationStatus)"
    }

    func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    func kill9() { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

    /// SIGTERM, then waits up to `seconds`; SIGKILL after that.
    func terminate(seconds: Double = 40) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        kill9()
    }
}
