// What `GET /tickets/{id}` answers: a held ticket's explanation, or where the ticket lives.

import SLACore
import SLAKafka

/// A worker's answer about one ticket.
public enum TicketAnswer: Sendable, Equatable {
    /// Held here: its ``SLACore/DeadlineExplanation`` as JSON.
    case held([UInt8])
    /// Not held here: the partition its key maps to under librdkafka's default partitioner and
    /// under the Java client's, and the ticket partitions this instance owns.
    case elsewhere(crc32: Int32, murmur2: Int32, owned: [Int32])
    /// The worker has not started (no partition count yet).
    case notStarted

    /// The HTTP status and JSON body for it.
    public func response(id: String) -> (status: Int, body: String) {
        switch self {
        case .held(let bytes): return (200, String(decoding: bytes, as: UTF8.self) + "\n")
        case .elsewhere(let crc, let murmur, let owned):
            var j = JSONText()
            j.add("ticket_id", id)
            j.add("error", "not held by this instance")
            j.add("partition", Int64(crc))
            j.add("partition_murmur2", Int64(murmur))
            j.add("owned_partitions", owned.map(String.init))
            j.add("detail", "the ticket's key maps to partition \(crc) under librdkafka's default partitioner (\(murmur) under the Java client's murmur2); ask the instance that owns it. Not held also when it is unknown, not timed or forgotten after its retention")
            return (404, j.text + "\n")
        case .notStarted:
            return (503, #"{"error":"the worker has not started"}"# + "\n")
        }
    }
}

extension SLAWorker {
    /// How ticket `id`'s deadlines were worked out, if this instance holds it (see ``TicketAnswer``).
    public func ticket(_ id: String) -> TicketAnswer {
        let partitions = ticketPartitionCount
        guard partitions > 0 else { return .notStarted }
        let (held, owned) = ownerAnswer(SubjectID(.ticket, id))
        if let held { return .held(held) }
        return .elsewhere(crc32: KeyPartition.crc32(id, partitions: partitions), murmur2: KeyPartition.murmur2(id, partitions: partitions), owned: owned)
    }
}
