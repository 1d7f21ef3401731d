// Facts about the linked librdkafka library.

import CRdKafka

/// The librdkafka the binary is linked against.
public enum Librdkafka {
    /// Its version string, e.g. `2.0.2`.
    public static var version: String { String(cString: rd_kafka_version_str()) }

    /// Its version number as librdkafka encodes it (`0xMMmmrrxx`).
    public static var versionNumber: Int { Int(rd_kafka_version()) }
}
