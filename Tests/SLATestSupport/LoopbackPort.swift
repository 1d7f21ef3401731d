import Glibc

/// A TCP port on 127.0.0.1 that nothing listens on now: the kernel picks it for a socket bound
/// to port 0, which is then closed. A port drawn at random could be one of the many a parallel
/// test run holds (its mock brokers and clients), and the daemon would fail to listen there.
public enum LoopbackPort {
    public static func unused() -> Int {
        let (fd, port) = bound()
        close(fd)
        return port
    }

    /// A port something listens on until `descriptor` is closed: for a daemon that must
    /// refuse it.
    public static func occupied() -> (descriptor: Int32, port: Int) {
        let (fd, port) = bound()
        precondition(listen(fd, 1) == 0, "listen: \(errno)")
        return (fd, port)
    }

    /// A port nothing listens on now, below the kernel's ephemeral range, for a server that is
    /// stopped and started again on the same port: inside that range the kernel may hand the
    /// port, while the server is down, to another test's socket bound to port 0 or to an
    /// outgoing connection as its source port, and the restart fails to listen (a CI run lost
    /// its PostgreSQL restart that way, or to a port drawn at random, which was then the rule).
    public static func forRestart() -> Int {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let lowest = range.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32_768
        let top = max(lowest, 12_000)
        for _ in 0..<1_000 {
            let candidate = Int.random(in: 10_000..<top)
            if let fd = bound(to: candidate) { close(fd); return candidate }
        }
        preconditionFailure("no free loopback port in 10000..<\(top)")
    }

    private static func bound() -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket: \(errno)")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        precondition(bound, "bind/getsockname: \(errno)")
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket bound to `port` on 127.0.0.1, or nil when the port is taken.
    private static func bound(to port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket: \(errno)")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let ok = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard ok else { close(fd); return nil }
        return fd
    }
}
