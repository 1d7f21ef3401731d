import Testing
@testable import SLACore

@Suite struct EventDecoderTests {
    static let valid = #"{"event_id":"e1","ticket_id":"T1","kind":"fault_repair","action":"created","occurred_at":"2026-11-22T08:15:00+08:00","unit":"GDS-1","region":"rural","agent":"A1","feeder":"F1","area":"330102","extra_field":{"nested":[1,2]}}"#

    private func ticket(_ s: String) throws(EventRejection) -> TicketEvent { try EventDecoder.ticket(Array(s.utf8)) }

    /// Replaces one member of the valid event (or removes it when `value` is nil).
    private func with(_ key: String, _ value: String?) -> String {
        var fields = [
            "event_id": "\"e1\"", "ticket_id": "\"T1\"", "kind": "\"fault_repair\"", "action": "\"created\"",
            "occurred_at": "\"2026-11-22T08:15:00+08:00\"",
        ]
        fields[key] = value
        return "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    @Test func decodesATicketAndIgnoresUnknownFields() throws {
        let e = try ticket(Self.valid)
        #expect(e.eventId == "e1" && e.ticketId == "T1" && e.kind == .faultRepair && e.action == .created)
        #expect(e.occurredAt == Fixtures.t("2026-11-22T08:15"))
        #expect(e.offsetSeconds == 28_800)
        #expect(e.region == .rural && e.unit == "GDS-1" && e.agent == "A1" && e.feeder == "F1" && e.area == "330102")
    }

    @Test(arguments: [
        ("occurred_at", #""2026-13-01T00:00""#, #"occurred_at: not an RFC 3339 timestamp: "2026-13-01T00:00""#),
        ("occurred_at", "1763770500", "occurred_at: must be an RFC 3339 string, got 1763770500"),
        ("occurred_at", nil, "occurred_at: missing"),
        ("kind", #""faultrepair""#, #"kind: unknown value "faultrepair" (expected one of fault_repair, complaint, report, suggestion, praise, consultation, query, new_connection)"#),
        ("kind", #""planned""#, #"kind: unknown value "planned" (expected one of fault_repair, complaint, report, suggestion, praise, consultation, query, new_connection)"#),
        ("ticket_id", nil, "ticket_id: missing"),
        ("ticket_id", "null", "ticket_id: missing"),
        ("ticket_id", #""""#, "ticket_id: must not be empty"),
        ("ticket_id", "42", "ticket_id: must be a string, got 42"),
        ("event_id", nil, "event_id: missing"),
        ("action", #""started""#, #"action: unknown value "started" (expected one of created, dispatched, accepted, returned, arrived, onsite_reported, resolved, sent_back, callback, answered, closed, reopened, application_accepted, plan_replied, inspection_passed, powered_on, cancelled)"#),
        ("action", #""onsite_reported""#, "reported_to: required for action onsite_reported (county or city)"),
        ("region", #""suburban""#, #"region: unknown value "suburban" (expected one of urban, rural, remote)"#),
        ("customer_class", #""vip""#, #"customer_class: unknown value "vip" (expected one of residential, non_residential, low_voltage, hv_single, hv_dual)"#),
        ("reported_to", #""province""#, #"reported_to: unknown value "province" (expected one of county, city)"#),
        ("satisfaction", "7", "satisfaction: must be an integer 1..5, got 7"),
        ("satisfaction", "4.5", "satisfaction: must be an integer 1..5, got 4.5"),
        ("satisfaction", #""5""#, #"satisfaction: must be an integer 1..5, got "5""#),
        ("multi_unit", #""yes""#, #"multi_unit: must be true or false, got "yes""#),
        ("unit", "[]", "unit: must be a string, got an array"),
        ("agent", "{}", "agent: must be a string, got an object"),
    ] as [(String, String?, String)])
    func namesTheFieldOfEveryRejection(key: String, value: String?, message: String) {
        #expect(throws: EventRejection.self) { try ticket(with(key, value)) }
        do { _ = try ticket(with(key, value)) } catch { #expect(error.description == message) }
    }

    @Test(arguments: [
        ([UInt8]([0xFF, 0xFE, 0x7B, 0x7D]), "not UTF-8 text"),
        (Array("[1,2]".utf8), "not a JSON object but an array"),
        (Array("\"x\"".utf8), #"not a JSON object but "x""#),
        (Array("{\"a\":".utf8), "not JSON: unexpected end of input at byte 5"),
        ([], "not JSON: unexpected end of input at byte 0"),
    ])
    func refusesBytesThatAreNotAnEventObject(bytes: [UInt8], message: String) {
        do { _ = try EventDecoder.ticket(bytes); Issue.record("accepted") } catch { #expect(error.description == message) }
    }

    @Test func refusesOversizedMessages() {
        let big = [UInt8](repeating: 0x20, count: EventDecoder.maxBytes + 1)
        do { _ = try EventDecoder.ticket(big); Issue.record("accepted") } catch { #expect(error.description.contains("larger than")) }
    }

    @Test func decodesOutagesAndEnforcesRule13OnRegistration() throws {
        let ok = #"{"event_id":"o1","outage_id":"O1","kind":"planned","action":"registered","occurred_at":"2026-11-20T09:00:00+08:00","start_at":"2026-11-28T08:00:00+08:00","est_restore_at":"2026-11-28T17:00:00+08:00","feeders":["F1","F2"],"areas":[],"cause":"maintenance","key_customers":["Hospital"],"unit":"GDS-1"}"#
        let o = try EventDecoder.outage(Array(ok.utf8))
        #expect(o.feeders == ["F1", "F2"] && o.keyCustomers == ["Hospital"] && o.startAt == Fixtures.t("2026-11-28T08:00"))
        let cases: [(String, String)] = [
            (ok.replacingOccurrences(of: #","cause":"maintenance""#, with: ""), "cause: required for action registered (rule 13)"),
            (ok.replacingOccurrences(of: #""start_at":"2026-11-28T08:00:00+08:00","#, with: ""), "start_at: required for action registered (rule 13)"),
            (ok.replacingOccurrences(of: #""feeders":["F1","F2"]"#, with: #""feeders":[]"#), "feeders: feeders or areas required for action registered (rule 13)"),
            (ok.replacingOccurrences(of: #""feeders":["F1","F2"]"#, with: #""feeders":["F1",3]"#), "feeders[1]: must be a non-empty string, got 3"),
            (ok.replacingOccurrences(of: #""feeders":["F1","F2"]"#, with: #""feeders":"F1""#), #"feeders: must be an array of strings, got "F1""#),
            (ok.replacingOccurrences(of: "2026-11-28T17:00", with: "2026-11-28T07:00"), "est_restore_at: before start_at"),
            (ok.replacingOccurrences(of: #""kind":"planned""#, with: #""kind":"fault_repair""#), #"kind: unknown value "fault_repair" (expected one of planned, temporary, fault, arrears, load_shedding, other)"#),
        ]
        for (text, message) in cases {
            do { _ = try EventDecoder.outage(Array(text.utf8)); Issue.record("accepted: \(message)") } catch { #expect(error.description == message) }
        }
    }

    @Test func tellsTicketsFromOutagesInMixedInput() throws {
        #expect(try EventDecoder.any(Array(Self.valid.utf8)).subject == SubjectID(.ticket, "T1"))
        let o = #"{"event_id":"o1","outage_id":"O1","kind":"fault","action":"started","occurred_at":"2026-11-20T09:00:00+08:00"}"#
        #expect(try EventDecoder.any(Array(o.utf8)).subject == SubjectID(.outage, "O1"))
        do { _ = try EventDecoder.any(Array(#"{"event_id":"x"}"#.utf8)); Issue.record("accepted") } catch {
            #expect(error.description == "ticket_id: missing (and no outage_id either)")
        }
    }

    @Test func neverCrashesOnMutatedInput() {
        // A cheap seeded mutation pass; the fuzzing issue brings the long campaign.
        var rng = SeededGenerator(seed: 7)
        let base = Array(Self.valid.utf8)
        for _ in 0..<20_000 {
            var b = base
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: b[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: b.remove(at: i)
                default: b.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
                if b.isEmpty { b = [0x7B] }
            }
            _ = try? EventDecoder.any(b)
        }
    }
}

/// The deterministic generator of the mutation tests, so they repeat exactly.
typealias SeededGenerator = SplitMix64
