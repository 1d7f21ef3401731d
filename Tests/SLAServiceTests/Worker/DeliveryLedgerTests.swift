import Foundation
import Testing
import SLAKafka
@testable import SLAService

@Suite struct DeliveryLedgerTests {
    @Test func waitsForEveryRecordUpToANumberWhateverTheOrderOfReports() throws {
        let ledger = DeliveryLedger()
        let seqs = (0..<5).map { _ in ledger.issue() }
        #expect(seqs == [1, 2, 3, 4, 5])
        ledger.delivered(3, nil)
        ledger.delivered(1, nil)
        #expect(ledger.outstanding == 3)
        #expect(throws: WorkerFailure.self) { try ledger.waitDelivered(upTo: 3, timeout: 0.05) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { ledger.delivered(2, nil) }
        try ledger.waitDelivered(upTo: 3, timeout: 5)
        #expect(ledger.outstanding == 2)
    }

    @Test func aFailedDeliveryFailsTheWait() {
        let ledger = DeliveryLedger()
        let s = ledger.issue()
        ledger.delivered(s, DeliveryFailure(error: KafkaError(code: 7, message: "timed out"), topic: "slawatch.escalations", partition: 2, key: Array("T1".utf8)))
        do {
            try ledger.waitDelivered(upTo: s, timeout: 1)
            Issue.record("no failure")
        } catch {
            #expect(error.description.contains("delivery of record to slawatch.escalations[2] key T1 failed: "))
            #expect(error.kind == .delivery && (error.underlying as? KafkaError)?.code == 7, "the kind and the error underneath")
        }
    }
}
