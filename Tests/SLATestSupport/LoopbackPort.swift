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
}
