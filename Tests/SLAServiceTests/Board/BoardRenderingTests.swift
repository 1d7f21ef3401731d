import Foundation
import Testing
import SLACore
import SLAService

/// The page and the API over a board built from hand-written events.
@Suite struct BoardRenderingTests {
    let calendar = try! DefaultFiles.calendar()
    // 2026-12-15 10:00 in Shanghai.
    let t0 = Timestamp(milliseconds: 1_797_300_000_000)
    func at(_ m: Int64) -> Timestamp { t0.adding(.minutes(m)) }

    func board() -> ClockBoard {
        var b = ClockBoard()
        func e(_ type: SLAEventType, _ id: String, _ party: String, deadline: Int64, at t: Int64, level: String? = nil) -> BoardEvent {
            BoardEvent(eventId: "\(id):\(type.rawValue)\(level ?? "")", type: type, subjectId: id, kind: "fault_repair", stage: "repair.arrival",
                       unit: party, chargedTo: party, startedAt: t0, deadline: at(deadline), occurredAt: at(t), level: level)
        }
        b.apply(e(.started, "T<1>", "城东所", deadline: 45, at: 0))          // overdue at 60 by 15 min
        b.apply(e(.escalated, "T<1>", "城东所", deadline: 45, at: 45, level: "urge"))
        b.apply(e(.started, "T2", "城西所", deadline: 80, at: 0))            // due in 20 min at 60
        b.apply(e(.started, "T3", "城西所", deadline: 50, at: 0))
        b.apply(e(.met, "T3", "城西所", deadline: 50, at: 40))               // met today
        return b
    }

    @Test func thePageShowsEachListInChineseByDefaultAndEscapesWhatItShows() throws {
        let page = BoardPage.render(board(), query: try BoardQuery([]), now: at(60), complete: true, calendar: calendar, fragment: false)
        #expect(page.contains("<html lang=\"zh-CN\">"))
        #expect(page.contains("已超时 (<span id=\"overdue-count\">1</span>)"))
        #expect(page.contains("<tr class=\"clock overdue\" data-ticket=\"T&lt;1&gt;\" data-stage=\"repair.arrival\" data-unit=\"城东所\">"))
        #expect(page.contains("<a href=\"/tickets/T%3C1%3E\">T&lt;1&gt;</a>"))
        #expect(page.contains("<td>15 min</td><td>催办</td>"))
        #expect(page.contains("<tr class=\"clock due\" data-ticket=\"T2\""))
        #expect(page.contains("<td>20 min</td>"))
        #expect(page.contains("<tr class=\"rate\" data-unit=\"城西所\" data-stage=\"repair.arrival\"><td>城西所</td><td>到达现场</td><td>1</td><td>0</td><td>100.0 %</td></tr>"))
        #expect(!page.contains("T<1>"))
        #expect(!page.contains("id=\"incomplete\""))
        let en = BoardPage.render(board(), query: try BoardQuery([("lang", "en"), ("unit", "城西所")]), now: at(60), complete: false, calendar: calendar, fragment: true)
        #expect(en.contains("Overdue now (<span id=\"overdue-count\">0</span>)"))
        #expect(en.contains("id=\"incomplete\""))
        #expect(!en.contains("<html"))
        #expect(en.contains("Crew on site"))
    }

    @Test func theAPIListsTheClocksOfAState() throws {
        let b = board()
        let overdue = try JSONSerialization.jsonObject(with: Data(BoardAPI.clocks(b, query: try BoardQuery([]), now: at(60), complete: true, calendar: calendar).utf8)) as! [String: Any]
        #expect(overdue["count"] as? Int == 1)
        let c = (overdue["clocks"] as! [[String: Any]])[0]
        #expect(c["ticket_id"] as? String == "T<1>")
        #expect(c["overdue_seconds"] as? Int == 900)
        #expect(c["level"] as? String == "urge")
        #expect(c["deadline"] as? String == "2026-12-15T10:45:00+08:00")
        let due = try JSONSerialization.jsonObject(with: Data(BoardAPI.clocks(b, query: try BoardQuery([("state", "due")]), now: at(60), complete: true, calendar: calendar).utf8)) as! [String: Any]
        #expect((due["clocks"] as! [[String: Any]]).map { $0["ticket_id"] as! String } == ["T2"])
        #expect((due["clocks"] as! [[String: Any]])[0]["remaining_seconds"] as? Int == 1200)
        let narrow = try JSONSerialization.jsonObject(with: Data(BoardAPI.clocks(b, query: try BoardQuery([("state", "due"), ("within", "10m")]), now: at(60), complete: true, calendar: calendar).utf8)) as! [String: Any]
        #expect(narrow["count"] as? Int == 0)
    }
}
