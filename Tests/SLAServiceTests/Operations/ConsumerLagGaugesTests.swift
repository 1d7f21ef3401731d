import Testing
@testable import SLAService

@Suite struct ConsumerLagGaugesTests {
    @Test func readsAssignedPartitionsLagFromStatistics() {
        let json = #"{"name":"c","topics":{"95598.tickets":{"topic":"95598.tickets","partitions":{"0":{"partition":0,"consumer_lag":12},"1":{"partition":1,"consumer_lag":-1},"-1":{"partition":-1,"consumer_lag":-1}}},"95598.outages":{"partitions":{"2":{"consumer_lag":0}}}}}"#
        #expect(ConsumerLagGauges().update(statisticsJSON: json) == ["95598.tickets[0]": 12, "95598.outages[2]": 0])
        #expect(ConsumerLagGauges().update(statisticsJSON: "not json").isEmpty)
    }
}
