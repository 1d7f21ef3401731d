// Writes rollup cells and scorecards into PostgreSQL: migrations at start, revision-guarded upserts.

import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The sink's side of PostgreSQL: one connection, opened again after any failure.
///
/// Used only from the sink's own thread, through PostgresNIO's event-loop futures: the sink
/// needs no task of the concurrency pool, so a busy pool cannot hold it up. ``store(_:)``
/// writes a batch in one transaction; a row is replaced only by a record with a revision at
/// least as high, so a batch stored twice (a replay after a crash or rebalance) changes nothing.
final class PostgresRollupStore {
    private let url: PostgresURL
    private let logger: Logger
    private let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
    private var connection: PostgresConnection?
    private var connectionId = 0
    private var migrated = false

    init(url: PostgresURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    /// The migrations in order: the number is the version recorded once applied.
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (1, "migration-1-rollups.sql", String(decoding: PackageResources.migration_1_rollups_sql, as: UTF8.self)),
        (2, "migration-2-assessment.sql", String(decoding: PackageResources.migration_2_assessment_sql, as: UTF8.self)),
        (3, "migration-3-volumes.sql", String(decoding: PackageResources.migration_3_volumes_sql, as: UTF8.self)),
        (4, "migration-4-agents.sql", String(decoding: PackageResources.migration_4_agents_sql, as: UTF8.self)),
        (5, "migration-5-stars.sql", String(decoding: PackageResources.migration_5_stars_sql, as: UTF8.self)),
    ]

    /// A migration file's statements: each ends with `;` at the end of a line (the extended
    /// protocol takes one at a time). Comment-only pieces are dropped.
    static func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").compactMap { piece in
            let code = piece.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
            return code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : piece.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private func connect() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var config = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                      database: url.database, tls: try Self.tls(url.sslMode))
        config.options.connectTimeout = .seconds(10)
        connectionId += 1
        let c = try PostgresConnection.connect(on: eventLoop, configuration: config, id: connectionId, logger: logger).wait()
        connection = c
        if !migrated {
            try migrate(c)
            migrated = true
        }
        return c
    }

    private static func tls(_ mode: PostgresURL.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer, .require:
            // libpq's prefer and require encrypt without checking the certificate.
            var t = TLSConfiguration.makeClientConfiguration()
            t.certificateVerification = .none
            let context = try NIOSSLContext(configuration: t)
            return mode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private func run(_ c: PostgresConnection, _ sql: String) throws -> PostgresQueryResult {
        try c.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait()
    }

    /// Applies the migrations not yet recorded, each in its own transaction.
    private func migrate(_ c: PostgresConnection) throws {
        _ = try run(c, "CREATE TABLE IF NOT EXISTS slawatch_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        // Two instances starting together must not both apply a migration.
        _ = try run(c, "SELECT pg_advisory_lock(59570001)")
        defer { _ = try? run(c, "SELECT pg_advisory_unlock(59570001)") }
        var applied = Set<Int>()
        for row in try run(c, "SELECT version FROM slawatch_schema_migrations").rows { applied.insert(try row.decode(Int.self)) }
        for m in Self.migrations where !applied.contains(m.version) {
            _ = try run(c, "BEGIN")
            do {
                for statement in Self.statements(m.sql) { _ = try run(c, statement) }
                _ = try c.query("INSERT INTO slawatch_schema_migrations (version, name) VALUES (\(m.version), \(m.name))", logger: logger).wait()
                _ = try run(c, "COMMIT")
            } catch {
                _ = try? run(c, "ROLLBACK")
                throw error
            }
            logger.info("PostgreSQL migration applied", metadata: ["version": "\(m.version)", "name": "\(m.name)"])
        }
    }

    /// Makes sure the database is reachable and migrated.
    func prepare() throws { _ = try connect() }

    /// Stores a batch in one transaction; on any failure the connection is dropped (the next
    /// call opens a new one) and the error is thrown, so the caller keeps the batch.
    func store(_ records: [SinkRecord]) throws {
        do {
            let c = try connect()
            _ = try run(c, "BEGIN")
            // Sent together, answered in order: one round trip for the batch, not one per row.
            let writes = records.map { c.query(Self.upsert($0), logger: logger) }
            try EventLoopFuture.whenAllComplete(writes, on: eventLoop).wait().forEach { _ = try $0.get() }
            _ = try run(c, "COMMIT")
        } catch {
            close()
            throw error
        }
    }

    /// Closes the connection.
    func close() {
        if let c = connection { connection = nil; try? c.close().wait() }
    }

    static func upsert(_ r: SinkRecord) -> PostgresQuery {
        let (table, conflict, columns): (String, [String], [(String, SinkValue)])
        switch r {
        case .rollup(let key, let c):
            table = "slawatch_rollups"; conflict = ["key"]
            columns = [("key", .text(key))] + c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .scorecard(let c):
            table = "slawatch_scorecards"; conflict = ["month", "unit"]
            columns = c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .agentScorecard(let c):
            table = "slawatch_agent_scorecards"; conflict = ["month", "agent"]
            columns = c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .stars(let c):
            table = "slawatch_stars"; conflict = ["year", "view", "owner"]
            columns = c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .verdict(let key, let c):
            table = "slawatch_verdicts"; conflict = ["key"]
            columns = [("key", .text(key))] + c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        var bindings = PostgresBindings(capacity: columns.count)
        for (_, v) in columns {
            switch v {
            case .null: bindings.appendNull()
            case .text(let s): bindings.append(s)
            case .int(let i): bindings.append(i)
            case .double(let d): bindings.append(d)
            case .bool(let b): bindings.append(b)
            case .time(let t): bindings.append(t)
            case .json(let s): bindings.append(s)
            }
        }
        let names = columns.map(\.0)
        // A JSON value is sent as text and stored as jsonb.
        let placeholders = columns.enumerated().map { i, c in if case .json = c.1 { return "$\(i + 1)::jsonb" }; return "$\(i + 1)" }.joined(separator: ", ")
        let updates = names.filter { !conflict.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        let sql = "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (\(conflict.joined(separator: ", "))) DO UPDATE SET \(updates) WHERE \(table).revision <= EXCLUDED.revision"
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
