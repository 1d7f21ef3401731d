// The sink's connection URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]`.

import Foundation

/// A parsed PostgreSQL connection URL (the libpq form, without multiple hosts).
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// How TLS is used, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        /// TLS with the server's certificate checked against the system's trust roots and name.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    /// Parses the URL; the error says what is wrong (never with the password in it).
    public init(_ text: String) throws(SettingRefusal) {
        guard let c = URLComponents(string: text), c.scheme == "postgres" || c.scheme == "postgresql" else {
            throw SettingRefusal("not a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…])")
        }
        guard let user = c.user, !user.isEmpty else { throw SettingRefusal("the URL names no user (postgres://USER@HOST/DATABASE)") }
        guard let host = c.host, !host.isEmpty else { throw SettingRefusal("the URL names no host") }
        let db = String(c.path.drop(while: { $0 == "/" }))
        guard !db.isEmpty, !db.contains("/") else { throw SettingRefusal("the URL names no database (…/DATABASE)") }
        self.user = user.removingPercentEncoding ?? user
        password = c.password.map { $0.removingPercentEncoding ?? $0 }
        self.host = host
        port = c.port ?? 5432
        database = db.removingPercentEncoding ?? db
        sslMode = .prefer
        for item in c.queryItems ?? [] {
            guard item.name == "sslmode" else { throw SettingRefusal("unknown URL parameter \(item.name) (known: sslmode)") }
            guard let m = SSLMode(rawValue: item.value ?? "") else {
                throw SettingRefusal("sslmode \(item.value ?? "") is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = m
        }
    }

    /// The URL with the password left out, for logs.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)" }
}
