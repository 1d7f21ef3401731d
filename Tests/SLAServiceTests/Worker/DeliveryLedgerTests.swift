import Foundation
import Testing
import SLAKafka
@testable import SLAService

@Suite struct DeliveryLedgerTests {
    static let ok = Result<DeliveryReport, KafkaError>.success(DeliveryReport(topic: "t", partition: 0, offset: 0))

    @Test func waitsForEveryRecordUpToANumberWhateverTheOrderOfReports() throws {
        let ledger = DeliveryLedger()
        let seqs = (0..<5).map { _ in ledger.issue() }
        #expect(seqs == [1, 2, 3, 4, 5])
        ledger.complete(3, Self.ok, record: "r3")
        ledger.complete(1, Self.ok, record: "r1")
        #expect(ledger.outstanding == 3)
        #expect(throws: WorkerFailure.self) { try ledger.waitDelivered(upTo: 3, timeout: 0.05) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { ledger.complete(2, Self.ok, record: "r2") }
        try ledger.waitDelivered(upTo: 3, timeout: 5)
        #expect(ledger.outstanding == 2)
    }

    @Test func aFailedDeliveryFailsTheWait() {
        let ledger = DeliveryLedger()
        let s = ledger.issue()
        ledger.complete(s, .failure(KafkaError(code: 7, message: "timed out")), record: "sla.overdue of T1")
        do {
            try ledger.waitDelivered(upTo: s, timeout: 1)
            Issue.record("no failure")
        } catch {
            #expect(error.description.contains("delivery of sla.overdue of T1 failed"))
        }
    }
}
