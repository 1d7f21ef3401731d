// sd_notify(3) without libsystemd: READY, STATUS, WATCHDOG and STOPPING datagrams to systemd.

import Foundation
import Glibc

/// Tells systemd how the service is doing, through the datagram socket it names in
/// `NOTIFY_SOCKET` (`Type=notify`). Without `NOTIFY_SOCKET` (not under systemd) every call is a
/// no-op. Watchdog pings are sent only when `WATCHDOG_USEC` asks for them, at most every half
/// of that interval, from whatever calls ``watchdog()`` — the worker's own loop, so a stuck
/// loop stops the pings and systemd restarts the service.
public final class SystemdNotifier: @unchecked Sendable {
    // @unchecked: `lastPing` is guarded by `lock`; the rest is fixed at init.
    private let socketPath: String?
    private let pingEveryNanos: UInt64?
    private let lock = NSLock()
    private var lastPing: UInt64 = 0

    /// A notifier configured from the environment systemd gives the service.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // WATCHDOG_PID, when set, must be us (a forking wrapper must not ping for us).
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        pingEveryNanos = forUs ? environment["WATCHDOG_USEC"].flatMap(UInt64.init).map { $0 * 1000 / 2 } : nil
    }

    /// Whether systemd listens.
    public var isActive: Bool { socketPath != nil }

    /// Startup is complete.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }

    /// A one-line status for `systemctl status`.
    public func status(_ s: String) { send("STATUS=\(s)") }

    /// The service is shutting down.
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }

    /// Pings the watchdog if it is due.
    public func watchdog() {
        guard let every = pingEveryNanos, isActive else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let due = lock.withLock { () -> Bool in
            guard now - lastPing >= every else { return false }
            lastPing = now
            return true
        }
        if due { send("WATCHDOG=1") }
    }

    /// Sends one datagram; failures are ignored, as sd_notify does (systemd may be gone).
    func send(_ message: String) {
        guard let socketPath else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        // "@name" is an abstract socket: a leading NUL byte instead of the "@".
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.count < capacity else { return }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in raw.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, sa, length) }
            }
        }
    }
}
