// librdkafka's error names, looked up both ways (for fault-injection commands and messages).

import CRdKafka

extension KafkaError {
    /// The code librdkafka names `name` (e.g. `NOT_LEADER_FOR_PARTITION`, `REQUEST_TIMED_OUT`), if any.
    public static func code(named name: String) -> Int32? {
        var descs: UnsafePointer<rd_kafka_err_desc>?
        var count = 0
        rd_kafka_get_err_descs(&descs, &count)
        guard let descs else { return nil }
        for k in 0..<count {
            if let n = descs[k].name, String(cString: n) == name { return descs[k].code.rawValue }
        }
        return nil
    }

    /// Throws for a librdkafka result code other than no-error.
    static func check(_ err: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let e = KafkaError(code: err.rawValue)
        throw KafkaError(code: err.rawValue, message: "\(what): \(e.message)")
    }
}
