// Creating a librdkafka client handle: one place for config, callbacks and the failure path.

import CRdKafka

/// Makes `rd_kafka_t` handles.
enum NativeClient {
    /// A client of `type` from `config`, with the log and statistics callbacks of `context`
    /// and any extra setup on the native config (e.g. the rebalance callback). The config is
    /// consumed either way; the caller owns the returned handle.
    static func make(_ type: rd_kafka_type_t, _ config: KafkaConfig, context: ClientContext?,
                     configure: (OpaquePointer) -> Void = { _ in }) throws(KafkaError) -> OpaquePointer {
        let conf = try config.makeNative()
        context?.install(on: conf)
        configure(conf)
        var errstr = ErrorBuffer()
        guard let rk = rd_kafka_new(type, conf, &errstr.bytes, errstr.bytes.count) else {
            rd_kafka_conf_destroy(conf)  // rd_kafka_new takes the config only when it succeeds
            throw KafkaError(code: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: errstr.text)
        }
        return rk
    }
}
