import Testing
@testable import SLACore

/// A subject's place (feeder and area) after some of its facts: the latest value of each wins.
/// Expected values worked out by hand; the full fold (``SubjectAttributes/of(_:count:)``) is a
/// second, independent computation of the same two fields.
@Suite struct SubjectAttributesTests {
    static func facts(_ places: [(feeder: String?, area: String?)]) -> SubjectHistory.Facts {
        SubjectHistory.Facts(places.enumerated().map { i, p in
            Fact(ticket("T1", .faultRepair, i == 0 ? .created : .updated, "2026-11-20T08:\(10 + i)", eventId: "e\(i)",
                        region: .urban, feeder: p.feeder, area: p.area))
        })
    }

    @Test(arguments: [
        // facts' (feeder, area), facts counted, expected (feeder, area)
        ([("F1", "A1")], 1, ("F1", "A1")),
        ([("F1", nil), ("F2", nil), (nil, "A3")], 3, ("F2", "A3")),
        ([("F1", "A1"), (nil, nil), (nil, nil)], 3, ("F1", "A1")),
        ([("F1", nil), ("F2", "A2")], 1, ("F1", nil)),
        ([(nil, nil), (nil, nil)], 2, (nil, nil)),
        ([(nil, "A1"), ("F4", nil), (nil, "A5")], 2, ("F4", "A1")),
        ([(nil, "A1")], 0, (nil, nil)),
    ] as [([(String?, String?)], Int, (String?, String?))])
    func thePlaceIsEachFieldsLatestValue(places: [(String?, String?)], count: Int, expected: (String?, String?)) {
        let facts = Self.facts(places.map { (feeder: $0.0, area: $0.1) })
        let place = SubjectAttributes.place(facts, count: count)
        #expect(place.feeder == expected.0 && place.area == expected.1)
        let folded = SubjectAttributes.of(facts, count: count)
        #expect(place.feeder == folded.feeder && place.area == folded.area)
    }
}
