// A noida-db Kafka broker for the tests the mock cluster cannot serve: data on disk, CreateTopics,
// DescribeConfigs, a broker process killed with -9 and started again on its data.

import Foundation
import Glibc
import SLAKafka

/// One noida-db process serving Kafka on a loopback port, with its data in a directory of its own.
public final class NoidaBroker: @unchecked Sendable {
    // @unchecked: driven from the test's thread only.
    /// The `noida-db` binary: `$SLAWATCH_NOIDA_DB`, or the one `scripts/bootstrap` installs in its
    /// venv — the server itself, not the venv's `bin/noida-db`: that is a Python script that runs
    /// the server as its child, so a SIGKILL to it would leave the server running.
    public static var binary: String {
        if let b = ProcessInfo.processInfo.environment["SLAWATCH_NOIDA_DB"] { return b }
        let tools = ProcessInfo.processInfo.environment["SLAWATCH_TOOLS"] ?? (NSHomeDirectory() + "/.cache/slawatch")
        let lib = tools + "/noida-venv/lib"
        let pythons = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).filter { $0.hasPrefix("python") }.sorted()
        return pythons.map { "\(lib)/\($0)/site-packages/noida_db/noida-db" }.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? tools + "/noida-venv/bin/noida-db"
    }

    public let port: Int
    public let dataDir: String
    private var process: Process?

    /// `host:port` for `bootstrap.servers`.
    public var bootstrapServers: String { "127.0.0.1:\(port)" }

    /// Starts a broker on a free port with an empty data directory; throws when `noida-db` is
    /// missing (run `scripts/bootstrap`) or does not answer.
    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw KafkaError(code: -1, message: "noida-db is not installed at \(Self.binary); run scripts/bootstrap")
        }
        port = LoopbackPort.forRestart()
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("noida-\(UUID())").path
        try start()
    }

    /// Starts the process on the same port and data (after ``kill9()``), and waits until it answers.
    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["start", "--only", "kafka", "--kafka-port", String(port), "--data-dir", dataDir]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            if let admin = try? KafkaAdmin(config: KafkaConfig(["bootstrap.servers": bootstrapServers])),
               (try? admin.describeTopics(timeoutMilliseconds: 1_000)) != nil { return }
            guard p.isRunning else { throw KafkaError(code: -1, message: "noida-db exited with status \(p.terminationStatus)") }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw KafkaError(code: -1, message: "noida-db did not answer on \(bootstrapServers) within 30 s")
    }

    /// Kills the broker process with SIGKILL: what it had not written to disk is lost. Its
    /// children go first (should `binary` be a wrapper that runs the server as its child).
    public func kill9() {
        guard let p = process else { return }
        for child in Self.descendants(of: p.processIdentifier).reversed() { kill(child, SIGKILL) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// A process's children, theirs, and so on (from /proc), parents first.
    static func descendants(of pid: Int32) -> [Int32] {
        let tasks = "/proc/\(pid)/task"
        var out: [Int32] = []
        for task in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            let text = (try? String(contentsOfFile: "\(tasks)/\(task)/children", encoding: .utf8)) ?? ""
            for child in text.split(separator: " ").compactMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                out.append(child)
                out += descendants(of: child)
            }
        }
        return out
    }

    deinit {
        kill9()
        try? FileManager.default.removeItem(atPath: dataDir)
    }
}
