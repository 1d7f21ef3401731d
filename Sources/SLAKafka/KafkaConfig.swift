// librdkafka client properties: any property passes through; secrets never reach logs or errors.

import CRdKafka
import Foundation

/// Properties for a librdkafka client, passed through as librdkafka names them
/// (`bootstrap.servers`, `security.protocol`, `sasl.*`, `ssl.*` …).
public struct KafkaConfig: Sendable, Equatable, CustomStringConvertible {
    /// The properties, by librdkafka name.
    public var properties: [String: String]

    /// Properties whose values are secrets: shown as `***` wherever the config is printed.
    public static let secretKeys: Set<String> = [
        "sasl.password", "sasl.oauthbearer.client.secret", "ssl.key.password", "ssl.key.pem",
        "ssl.keystore.password", "ssl_key", "sasl.oauthbearer.config",
    ]

    /// A config with the given properties.
    public init(_ properties: [String: String] = [:]) { self.properties = properties }

    /// Reads or writes one property.
    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// Whether a property's value must never be shown.
    public static func isSecret(_ key: String) -> Bool {
        secretKeys.contains(key) || key.hasSuffix(".password") || key.hasSuffix(".secret")
    }

    /// The properties sorted by name, secrets masked: safe to log.
    public var description: String {
        properties.keys.sorted().map { "\($0)=\(Self.isSecret($0) ? "***" : properties[$0]!)" }.joined(separator: ", ")
    }

    /// Builds a librdkafka configuration object; a bad key or value is refused with
    /// librdkafka's own message (with any secret value masked). The caller owns the result.
    func makeNative() throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errstr = ErrorBuffer()
        for key in properties.keys.sorted() {
            let value = properties[key]!
            let result = rd_kafka_conf_set(conf, key, value, &errstr.bytes, errstr.bytes.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                var message = errstr.text
                if Self.isSecret(key), !value.isEmpty { message = message.replacingOccurrences(of: value, with: "***") }
                throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: message)
            }
        }
        return conf
    }
}

extension KafkaConfig {
    /// Checks every property with librdkafka, as a client would at creation, without
    /// connecting; the error is librdkafka's own message (secrets masked).
    public func validate() throws(KafkaError) {
        rd_kafka_conf_destroy(try makeNative())
    }
}
