// Where a configuration value that is a secret comes from: inline, a file, or a systemd credential.

import Foundation
import SLACore

/// Reads secret values without writing them into the configuration file.
///
/// In the `kafka:` section a value may be a mapping instead of text:
/// - `{ file: /etc/slawatch/sasl-password }` — the file's content;
/// - `{ credential: sasl-password }` — `$CREDENTIALS_DIRECTORY/sasl-password`, the file systemd
///   provides for `LoadCredential=sasl-password:…` (readable only by the service).
///
/// In the environment, `SLAWATCH_KAFKA_<PROPERTY>_FILE` names a file the same way. One
/// trailing newline is dropped (editors add one).
public struct SecretSource: Sendable {
    /// The process environment (for `CREDENTIALS_DIRECTORY`).
    public var environment: [String: String]
    /// Reads a file's text; nil when it cannot be read.
    public var readFile: @Sendable (String) -> String?
    /// A file's permission bits (`0o640`); nil when unknown.
    public var permissions: @Sendable (String) -> Int?
    /// The files read so far, for ``exposures``.
    private let read = ReadFiles()

    /// A source over the real file system.
    public init(environment: [String: String]) {
        self.environment = environment
        readFile = { path in FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }
        permissions = { path in (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int }
    }

    /// A source with its own file reader (tests).
    public init(environment: [String: String], readFile: @escaping @Sendable (String) -> String?,
                permissions: @escaping @Sendable (String) -> Int? = { _ in nil }) {
        self.environment = environment
        self.readFile = readFile
        self.permissions = permissions
    }

    /// The content of `path`, or why not.
    public func file(_ path: String) throws(SettingRefusal) -> String {
        guard let text = readFile(path) else { throw SettingRefusal("cannot read \(path) (missing or not readable)") }
        read.add(path)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// A warning for each file read so far (the configuration's secrets among them) that users
    /// other than its owner may read: a secret in a file any local account can read is no secret.
    public func exposures(except config: String? = nil) -> [String] {
        read.paths.filter { $0 != config }.compactMap { path in
            guard let mode = permissions(path), mode & 0o077 != 0 else { return nil }
            let octal = String(mode & 0o777, radix: 8)
            return "\(path): readable by \(mode & 0o070 != 0 ? "its group" : "")\(mode & 0o070 != 0 && mode & 0o007 != 0 ? " and " : "")\(mode & 0o007 != 0 ? "every user" : "") (mode 0\(octal)); a secret file should be mode 0600 or 0400 (chmod 600 \(path))"
        }
    }

    /// The systemd credential `name`, or why not.
    public func credential(_ name: String) throws(SettingRefusal) -> String {
        guard !name.isEmpty, !name.contains("/") else { throw SettingRefusal("credential \"\(name)\": a credential name is a plain file name") }
        guard let dir = environment["CREDENTIALS_DIRECTORY"] else {
            throw SettingRefusal("credential \"\(name)\": CREDENTIALS_DIRECTORY is not set (give the unit LoadCredential=\(name):…)")
        }
        let secret = try file(dir + "/" + name)
        // An instance without SASL keeps the unit's credential file empty (systemd refuses a
        // missing one); a configuration that uses the credential must have it filled.
        guard !secret.isEmpty else {
            throw SettingRefusal("credential \"\(name)\" is empty: the file the unit's LoadCredential=\(name):… names is empty (docs/operations.md, Secrets)")
        }
        return secret
    }

    /// The value of a `kafka:` entry: text as it is, or a `{ file: }` / `{ credential: }` mapping.
    func value(of node: YAMLNode) throws(FileProblem) -> String {
        guard node.isMapping else { return try node.string() }
        let entries = try node.mapping(allowed: ["file", "credential"])
        guard entries.count == 1, let (kind, target) = entries.first else {
            throw node.problem("give either file: PATH or credential: NAME")
        }
        let name = try target.nonEmptyString()
        do throws(SettingRefusal) {
            return kind == "file" ? try file(name) : try credential(name)
        } catch {
            throw target.problem(error.reason)
        }
    }
}

/// The paths a ``SecretSource`` read, in order (shared by its copies).
private final class ReadFiles: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ path: String) { lock.withLock { if !list.contains(path) { list.append(path) } } }
    var paths: [String] { lock.withLock { list } }
}
