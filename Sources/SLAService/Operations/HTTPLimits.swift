// What one client of the operators' HTTP server may take: connections, time, header and body bytes.

import Foundation

/// Bounds on the metrics/health server, so no client can starve the worker of file
/// descriptors or CPU: 1 000 idle connections once took every descriptor of a unit's default
/// 1 024, librdkafka could no longer open sockets, and no ticket was processed until they went.
public struct HTTPLimits: Sendable, Equatable {
    /// Open connections at most; a new one past it closes the oldest (a health probe or a
    /// scrape is answered in milliseconds, so it is never the oldest for long).
    public var maxConnections: Int
    /// A connection must send a whole request within this of opening or of its previous
    /// response, or it is closed (slowloris, idle keep-alive).
    public var requestTimeout: TimeInterval
    /// Bytes of request headers at most (the decoder refuses more).
    public var maxHeaderBytes: Int
    /// Header fields at most.
    public var maxHeaderFields: Int
    /// Bytes of request body at most: every endpoint is a GET.
    public var maxBodyBytes: Int

    /// The limits for a process allowed `descriptors` open files: a quarter of them, at most 512.
    public init(descriptors: Int, requestTimeout: TimeInterval = 10) {
        maxConnections = max(8, min(512, descriptors / 4))
        self.requestTimeout = requestTimeout
        maxHeaderBytes = 16 * 1024
        maxHeaderFields = 64
        maxBodyBytes = 1024
    }

    /// The process's soft limit of open files.
    public static var openFileLimit: Int {
        var l = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &l) == 0 else { return 1024 }
        // RLIM_INFINITY is all ones; anything past a million is as good as unlimited here.
        return Int(min(l.rlim_cur, 1 << 20))
    }

    /// Raises the soft limit of open files to the hard limit (systemd's `LimitNOFILE=` sets
    /// both; a shell's `ulimit -n` often only the soft one). Returns the limit in force.
    @discardableResult
    public static func raiseOpenFileLimit() -> Int {
        var l = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &l) == 0, l.rlim_cur < l.rlim_max {
            l.rlim_cur = l.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &l)
        }
        return openFileLimit
    }
}
