// A datagram socket standing in for systemd's NOTIFY_SOCKET, collecting what a service says.

import Foundation
import Glibc

/// Listens on a Unix datagram socket in a temporary directory and keeps every message.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: `received` is guarded by `lock`; `fd` is fixed after init.
    public let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [(at: Date, text: String)] = []
    private var open = true

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, ok == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while lock.withLock({ open }) {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 {
                    let text = String(decoding: buffer[0..<n], as: UTF8.self)
                    lock.withLock { received.append((Date(), text)) }
                }
            }
        }.start()
    }

    deinit {
        lock.withLock { open = false }
        Thread.sleep(forTimeInterval: 0.2)
        close(fd)
        unlink(path)
    }

    /// The messages so far, oldest first.
    public var messages: [(at: Date, text: String)] { lock.withLock { received } }
}
