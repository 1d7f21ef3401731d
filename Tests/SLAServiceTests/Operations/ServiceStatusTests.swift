import Foundation
import SLAKafka
import Testing
import SLAService
import SLATestSupport

@Suite struct ServiceStatusTests {
    @Test func readyOnlyAfterTheFirstRestoreAndNeverWhileRestoringOrStopping() throws {
        let socket = try NotifySocket()
        let s = ServiceStatus(notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path]), staleAfter: 0.3)
        let a = [TopicPartition("t", 0), TopicPartition("t", 1)], b = [TopicPartition("t", 2)]
        #expect(!s.isReady && !s.isAlive)
        s.workerLoopTurned()
        #expect(s.isAlive)
        s.workerRestoring(a)
        #expect(!s.isReady)
        s.workerRestored(a, milliseconds: 12)
        #expect(s.isReady && s.partitions == a)
        s.workerRestoring(b)
        #expect(!s.isReady, "restoring again")
        s.workerRestored(b, milliseconds: 3)
        #expect(s.isReady && s.partitions.count == 3)
        s.workerRevoked(a)
        #expect(s.partitions == b)
        Thread.sleep(forTimeInterval: 0.4)
        #expect(!s.isAlive, "the loop stopped turning")
        s.workerStopping()
        #expect(!s.isReady)
        _ = EndToEndCluster.waitUntil(seconds: 2) { socket.messages.count >= 6 }
        let texts = socket.messages.map(\.text)
        #expect(texts.filter { $0.hasPrefix("READY=1") }.count == 1, "READY once: \(texts)")
        #expect(texts.firstIndex { $0.hasPrefix("READY=1") }! > texts.firstIndex { $0 == "STATUS=restoring 2 partitions" }!)
        #expect(texts.last?.hasPrefix("STOPPING=1") == true)
    }
}
