// A throwaway PostgreSQL server on loopback for the sink's tests (Debian's `postgresql` package).

import Foundation

/// A PostgreSQL server in a temporary directory, on a free loopback port, with trust
/// authentication and a database `slawatch`. Run as the `postgres` user when the tests run as
/// root (PostgreSQL refuses to run as root). Stopped and removed on deinit.
public final class PostgresServer: @unchecked Sendable {
    // @unchecked: used from one test at a time.
    public private(set) var port: Int
    private let directory: String
    private let bin: String
    private var server: Process?

    /// Where Debian installs the server binaries, newest version first.
    static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") {
            return "\(root)/\(v)/bin"
        }
        throw ServerError("no PostgreSQL server under \(root) (apt-get install -y postgresql; scripts/bootstrap does)")
    }

    /// Initialises a cluster and starts it.
    public init() throws {
        bin = try Self.binDirectory()
        port = LoopbackPort.forRestart()
        directory = NSTemporaryDirectory() + "slawatch-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try Self.run("/bin/chown", ["postgres:postgres", directory]) }
        try asServerUser("\(bin)/initdb", ["-D", "\(directory)/data", "-U", "slawatch", "--auth=trust", "-E", "UTF8", "--no-sync"])
        // Another test may take the port between the check and the listen: then a new one.
        for attempt in 1...3 {
            do { try start(); break } catch let e as ServerError where e.exited && attempt < 3 { port = LoopbackPort.forRestart() }
        }
        try psql("CREATE DATABASE slawatch", database: "postgres")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The sink's connection URL.
    public var url: String { "postgres://slawatch@127.0.0.1:\(port)/slawatch?sslmode=disable" }

    /// Starts the server (again) and waits until it accepts connections.
    public func start() throws {
        let p = Process()
        let args = ["-D", "\(directory)/data", "-p", String(port), "-h", "127.0.0.1", "-k", directory, "-c", "fsync=off"]
        if getuid() == 0 {
            // setpriv execs in place: the process is the postmaster itself, so signals reach it.
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=postgres", "--regid=postgres", "--init-groups", "\(bin)/postgres"] + args
        } else {
            p.executableURL = URL(fileURLWithPath: "\(bin)/postgres")
            p.arguments = args
        }
        // Its log says why a start failed (a port taken, a data directory refused).
        let log = "\(directory)/postgres.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        if getuid() == 0 { try Self.run("/bin/chown", ["postgres:postgres", log]) }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle(forWritingAtPath: log)
        try p.run()
        server = p
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline {
            if (try? psql("SELECT 1", database: "postgres")) == "1" { return }
            guard p.isRunning else {
                server = nil
                throw ServerError("PostgreSQL exited with status \(p.terminationStatus) on port \(port): \(Self.tail(of: log))", exited: true)
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw ServerError("PostgreSQL did not accept connections on port \(port) within 60 s: \(Self.tail(of: log))")
    }

    /// Stops the server (fast shutdown: clients are disconnected) and waits for it to exit.
    public func stop() {
        guard let p = server, p.isRunning else { return }
        kill(p.processIdentifier, SIGINT)
        let deadline = Date(timeIntervalSinceNow: 30)
        while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        server = nil
        // Its pid file goes last: then the port and the data directory are free.
        while FileManager.default.fileExists(atPath: "\(directory)/data/postmaster.pid"), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
    }

    /// Runs SQL with psql; returns the rows, fields separated by a tab, one row per line.
    @discardableResult
    public func psql(_ sql: String, database: String = "slawatch") throws -> String {
        try Self.run("/usr/bin/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "slawatch", "-d", database, "-At", "-F", "\t",
                                       "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    private func asServerUser(_ tool: String, _ args: [String]) throws {
        if getuid() == 0 { try Self.run("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", tool] + args) } else { try Self.run(tool, args) }
    }

    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ServerError("\(tool) \(args.prefix(3).joined(separator: " ")) … exited \(p.terminationStatus): \(String(decoding: errors, as: UTF8.self).prefix(400))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The last 400 bytes of a log, on one line.
    static func tail(of log: String) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)"
        return String(text.suffix(400)).replacingOccurrences(of: "\n", with: " | ")
    }

    /// Why the test server could not do what was asked.
    public struct ServerError: Error, CustomStringConvertible {
        public var description: String
        /// The server process exited while starting.
        public var exited = false
        init(_ d: String, exited: Bool = false) { description = d; self.exited = exited }
    }
}
