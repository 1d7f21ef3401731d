// A librdkafka error in Swift terms: its code, name and message, and whether to retry.

import CRdKafka

/// An error reported by librdkafka, or by this wrapper around it.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value.
    public let code: Int32
    /// librdkafka's name for the code, e.g. `NOT_LEADER_FOR_PARTITION`.
    public let name: String
    /// What went wrong, in librdkafka's words or ours.
    public let message: String
    /// librdkafka says retrying the operation may succeed.
    public let isRetriable: Bool
    /// librdkafka says the client instance is unusable.
    public let isFatal: Bool

    /// An error for a librdkafka code, with librdkafka's own description unless `message` is given.
    public init(code: Int32, message: String? = nil, isRetriable: Bool = false, isFatal: Bool = false) {
        let err = rd_kafka_resp_err_t(rawValue: code)
        self.code = code
        self.name = String(cString: rd_kafka_err2name(err))
        self.message = message ?? String(cString: rd_kafka_err2str(err))
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String {
        var s = "\(name) (\(code)): \(message)"
        if isFatal { s += " [fatal]" } else if isRetriable { s += " [retriable]" }
        return s
    }
}
