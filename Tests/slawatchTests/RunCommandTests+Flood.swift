import Foundation
import Glibc
import Testing
import SLACore
import SLAService
import SLATestSupport

/// The operators' HTTP server cannot hurt the worker: a flood of idle and slowloris connections
/// against a daemon with 1 024 open files leaves its Kafka work and `/healthz` answering.
extension RunCommandTests {
    /// A non-blocking TCP connection to 127.0.0.1:`port` (it completes in the kernel whether
    /// or not the server accepts it).
    private func connection(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket: \(errno)")
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        a.sin_port = in_port_t(UInt16(port).bigEndian)
        _ = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        return fd
    }

    /// Whether a non-blocking connect has completed.
    private func connected(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&p, 1, 0) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0
    }

    /// Whether the server closed the connection (a read finds the end, or a reset).
    private func closedByServer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    @Test func aConnectionFloodLeavesTheKafkaWorkAndHealthzAnswering() throws {
        let c = try EndToEndCluster(partitions: 2)
        let config = try Self.files(c)
        let port = LoopbackPort.unused()
        try (try String(contentsOfFile: config, encoding: .utf8) + "  http_listen: 127.0.0.1:\(port)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(config: config, openFiles: 1024)
        defer { _ = daemon.terminate() }
        let base = "http://127.0.0.1:\(port)"
        #expect(EndToEndCluster.waitUntil(seconds: 30) { HTTPGet.fetch(base + "/readyz")?.status == 200 }, "\(daemon.process.isRunning ? "" : daemon.output.suffix(3000))")

        // The probe: 1 000 idle connections, and 50 slowloris ones sending part of a head.
        var idle: [Int32] = []
        for _ in 0..<1_000 { idle.append(connection(port)) }
        var slow: [Int32] = []
        for _ in 0..<50 {
            let fd = connection(port)
            slow.append(fd)
        }
        defer { for fd in idle + slow { close(fd) } }
        // A connect the kernel's queue could not take at once is retried by the kernel: each
        // slow one sends its part of a head once it is connected.
        let partial = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n".utf8)
        #expect(EndToEndCluster.waitUntil(seconds: 30) { slow.allSatisfy(connected) }, "the slowloris connections connect")
        for fd in slow { _ = partial.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

        // /healthz answers at once, and tickets are processed, while the flood holds.
        let started = Date()
        let health = HTTPGet.fetch(base + "/healthz")
        #expect(health?.status == 200, "healthz under the flood: \(String(describing: health))")
        #expect(Date().timeIntervalSince(started) < 3)
        let now = SystemClock.read()
        try c.send([("FL1", c.ticket("FL1", "created", at: now)), ("FL1", c.ticket("FL1", "dispatched", at: now.adding(TimeSpan(milliseconds: 200))))])
        #expect(try EndToEndCluster.waitUntil(seconds: 10) {
            try c.outputs().contains { $0.string("ticket_id") == "FL1" && $0.type == "sla.met" }
        }, "a ticket is processed during the flood")
        // The daemon stays within its descriptors: the cap is a quarter of 1 024.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.process.processIdentifier)/fd").count) ?? 0
        #expect(open > 0 && open < 600, "open descriptors: \(open)")
        // The slowloris connections never finish a head: each is closed by its deadline (10 s).
        #expect(EndToEndCluster.waitUntil(seconds: 15) { slow.allSatisfy(closedByServer) })
        #expect(HTTPGet.fetch(base + "/healthz")?.status == 200)

        // A head over 16 KiB, and a GET with a 2 KiB body, are closed without an answer.
        let longHead = Array(("GET /healthz HTTP/1.1\r\nX-Pad: " + String(repeating: "p", count: 20_000)).utf8)
        let withBody = Array(("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n" + String(repeating: "b", count: 2048)).utf8)
        for request in [longHead, withBody] {
            let fd = connection(port)
            defer { close(fd) }
            #expect(EndToEndCluster.waitUntil(seconds: 5) { connected(fd) })
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #expect(EndToEndCluster.waitUntil(seconds: 5) { closedByServer(fd) }, "\(request.count) bytes")
        }
    }
}
