// A real Prometheus (Debian's `prometheus` package) on loopback, for the monitoring kit's tests.

import Foundation
import SLATestSupport

/// A Prometheus server started for one test: scrapes `targets` every second, evaluates
/// `ruleFiles` every second, keeps its data in a temporary directory, and is killed on `stop()`.
final class PrometheusServer {
    let port: Int
    private let process = Process()
    private let dir: URL
    private let log = LockedData()

    /// The binary: `$SLAWATCH_PROMETHEUS`, else Debian's.
    static var binary: String { ProcessInfo.processInfo.environment["SLAWATCH_PROMETHEUS"] ?? "/usr/bin/prometheus" }

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(targets: [String], ruleFiles: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "\(Self.binary) is missing: scripts/bootstrap installs Debian's prometheus package")
        }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-prometheus-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("prometheus.yml")
        try """
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            rule_files: [\(ruleFiles.map { "\"\($0)\"" }.joined(separator: ", "))]
            scrape_configs:
              - job_name: slawatch
                static_configs: [{ targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))] }]

            """.write(to: config, atomically: true, encoding: .utf8)
        port = LoopbackPort.unused()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--config.file=\(config.path)", "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
                             "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = pipe.fileHandleForReading, log = log
        Thread { log.set(out.readDataToEndOfFile()) }.start()
        let deadline = Date(timeIntervalSinceNow: 30)
        while HTTPGet.fetch("http://127.0.0.1:\(port)/-/ready")?.status != 200 {
            guard process.isRunning, Date() < deadline else { stop(); throw Failure(description: "prometheus did not become ready: \(output)") }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// What it logged (once stopped).
    var output: String { log.done ? String(decoding: log.value, as: UTF8.self) : "(still running)" }

    /// The result of an instant query: one entry per series (`metric` labels, `value` as text).
    func query(_ promql: String) throws -> [(labels: [String: String], value: String)] {
        let data = try api("query?query=" + Self.encoded(promql))
        guard let result = data["result"] as? [[String: Any]] else { throw Failure(description: "no result for \(promql): \(data)") }
        return result.map { r in
            ((r["metric"] as? [String: String]) ?? [:], ((r["value"] as? [Any])?.last as? String) ?? "")
        }
    }

    /// Every loaded rule with its health ("ok", "err", "unknown") and last error.
    func rules() throws -> [(name: String, health: String, error: String)] {
        let data = try api("rules")
        let groups = data["groups"] as? [[String: Any]] ?? []
        return groups.flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }.map {
            ($0["name"] as? String ?? "", $0["health"] as? String ?? "", $0["lastError"] as? String ?? "")
        }
    }

    private func api(_ path: String) throws -> [String: Any] {
        guard let answer = HTTPGet.fetch("http://127.0.0.1:\(port)/api/v1/\(path)") else { throw Failure(description: "prometheus does not answer /api/v1/\(path)") }
        guard answer.status == 200, let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any] else {
            throw Failure(description: "/api/v1/\(path): \(answer.status) \(answer.body)")
        }
        return data
    }

    private static func encoded(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: dir)
    }
}
