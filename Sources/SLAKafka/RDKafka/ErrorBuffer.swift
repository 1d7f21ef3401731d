// The fixed-size text buffers librdkafka writes its error messages into.

/// A buffer for librdkafka's `errstr` out-parameters, and the text it holds.
struct ErrorBuffer {
    var bytes = [CChar](repeating: 0, count: 512)

    /// The message: the bytes up to the first NUL, as UTF-8.
    var text: String { String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
}
