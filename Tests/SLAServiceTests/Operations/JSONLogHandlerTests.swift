import Foundation
import Logging
import Testing
@testable import SLAService

@Suite struct JSONLogHandlerTests {
    @Test func oneParseableObjectPerLineWithMetadataAsMembers() throws {
        let line = JSONLogHandler.line(level: .warning, label: "slawatch.worker", message: "record \"dead\"-lettered\nsecond line",
                                       metadata: ["partition": "95598.tickets[3]", "reason": "kind: unknown value", "level": "spoof"],
                                       at: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(o["level"] == "warning", "metadata cannot overwrite the envelope")
        #expect(o["component"] == "slawatch.worker")
        #expect(o["message"] == "record \"dead\"-lettered\nsecond line")
        #expect(o["partition"] == "95598.tickets[3]")
        #expect(o["ts"] == "2026-11-18T11:06:40Z")
    }
}
