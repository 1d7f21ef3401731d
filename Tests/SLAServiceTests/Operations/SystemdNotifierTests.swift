import Foundation
import Testing
import SLAService
import SLATestSupport

@Suite struct SystemdNotifierTests {
    @Test func sendsReadyStatusWatchdogAndStoppingToTheNotifySocket() throws {
        let socket = try NotifySocket()
        let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "200000"])
        #expect(n.isActive)
        n.ready(status: "owning 3 partitions")
        n.watchdog()
        n.watchdog()  // too soon: every half interval (100 ms) at most
        Thread.sleep(forTimeInterval: 0.15)
        n.watchdog()
        n.stopping(status: "bye")
        #expect(EndToEndCluster.waitUntil(seconds: 2) { socket.messages.count == 4 })
        #expect(socket.messages.map(\.text) == ["READY=1\nSTATUS=owning 3 partitions", "WATCHDOG=1", "WATCHDOG=1", "STOPPING=1\nSTATUS=bye"])
    }

    @Test func silentWithoutSystemdAndWithoutAWatchdogForUs() throws {
        let socket = try NotifySocket()
        SystemdNotifier(environment: [:]).ready(status: "x")
        let other = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"])
        other.watchdog()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(socket.messages.isEmpty)
    }
}
