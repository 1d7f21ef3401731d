import Foundation
import Testing
@testable import SLACore

@Suite struct SLAEventTests {
    @Test func writesValidJSONForAnyIdentifiers() throws {
        for id in [#"T"1"#, "T\\2", "工单-0930-001", "T\n3\t", "T\u{0001}4", "😀"] {
            var d = TrackerDriver()
            try d.apply(ticket(id, .faultRepair, .created, "2026-11-20T08:00", unit: #"供电所 "城关""#, region: .urban))
            let e = try #require(d.emitted.first)
            let bytes = e.json(calendar: Fixtures.calendar)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            #expect(object["ticket_id"] as? String == id)
            #expect(object["unit"] as? String == #"供电所 "城关""#)
            #expect(object["event_id"] as? String == e.eventId)
            #expect(object["deadline"] as? String == "2026-11-20T08:05:00+08:00")
            // Our own parser reads it back too.
            #expect(throws: Never.self) { try JSONParser.parse(bytes) }
        }
    }
}
