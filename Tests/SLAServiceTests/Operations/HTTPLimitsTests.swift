import Testing
import SLAService

@Suite struct HTTPLimitsTests {
    @Test(arguments: [(1_024, 256), (65_536, 512), (100, 25), (16, 8)])
    func theConnectionCapIsAQuarterOfTheOpenFilesAtMost512(descriptors: Int, cap: Int) {
        #expect(HTTPLimits(descriptors: descriptors).maxConnections == cap)
    }

    @Test func theProcessLimitIsRaisedToItsHardLimitAndReadBack() {
        let raised = HTTPLimits.raiseOpenFileLimit()
        #expect(raised == HTTPLimits.openFileLimit && raised >= 64)
    }
}
