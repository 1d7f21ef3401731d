// Parsing and formatting RFC 3339 timestamps (the contract's `occurred_at` and friends).

/// RFC 3339 (`2026-11-22T08:15:00+08:00`, `2026-11-22T00:15:00.250Z`) to and from ``Timestamp``.
public enum RFC3339 {
    /// Parses an RFC 3339 date-time with an explicit offset (`Z` or `±HH:MM`).
    /// Returns the instant and the offset in seconds, or nil when the text is not of that form
    /// or names an impossible date or time.
    public static func parse(_ text: String) -> (Timestamp, offsetSeconds: Int)? {
        let u = Array(text.utf8)
        // Shortest form: YYYY-MM-DDTHH:MM:SSZ (20 bytes).
        guard u.count >= 20, u.count <= 40 else { return nil }
        guard u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x74 || u[10] == 0x20,
              u[13] == 0x3A, u[16] == 0x3A,
              let year = ASCIIDigits.value(u[0..<4]), let month = ASCIIDigits.value(u[5..<7]),
              let day = ASCIIDigits.value(u[8..<10]), let hour = ASCIIDigits.value(u[11..<13]),
              let minute = ASCIIDigits.value(u[14..<16]), let second = ASCIIDigits.value(u[17..<19]),
              let date = CivilDate(year: year, month: month, day: day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var i = 19
        var millis = 0
        if u[i] == 0x2E {  // fractional seconds: keep milliseconds, accept up to nanoseconds
            i += 1
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            let digits = i - start
            guard digits >= 1, digits <= 9 else { return nil }
            for k in 0..<3 { millis = millis * 10 + (k < digits ? Int(u[start + k] - 48) : 0) }
        }
        guard i < u.count else { return nil }
        var offset = 0
        switch u[i] {
        case 0x5A, 0x7A:  // Z
            guard i + 1 == u.count else { return nil }
        case 0x2B, 0x2D:  // + or -
            guard i + 6 == u.count, u[i + 3] == 0x3A,
                  let oh = ASCIIDigits.value(u[(i + 1)..<(i + 3)]),
                  let om = ASCIIDigits.value(u[(i + 4)..<(i + 6)]), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (u[i] == 0x2D ? -1 : 1)
        default:
            return nil
        }
        let localSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let utcMillis = (localSeconds - Int64(offset)) * 1000 + Int64(millis)
        return (Timestamp(milliseconds: utcMillis), offset)
    }

    /// Formats an instant at a UTC offset, with milliseconds only when they are not zero.
    public static func format(_ t: Timestamp, offsetSeconds: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(29)
        write(t, offsetSeconds: offsetSeconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``format(_:offsetSeconds:)``'s text to `out` as UTF-8, without building a string
    /// (emitted events carry four instants each). Without `separators` it is the basic form,
    /// `20261120T080400Z` (no `-` or `:`), which event ids use.
    /// An offset that is not whole minutes (a zone's local mean time before its standard time,
    /// such as +08:05:43) cannot be written in RFC 3339; such an instant is written in UTC, so
    /// the text always names the exact instant.
    public static func write(_ t: Timestamp, offsetSeconds: Int, separators: Bool = true, to out: inout [UInt8]) {
        let offsetSeconds = offsetSeconds % 60 == 0 ? offsetSeconds : 0
        let local = t.milliseconds + Int64(offsetSeconds) * 1000
        var days = local / 86_400_000
        var rem = local % 86_400_000
        if rem < 0 { rem += 86_400_000; days -= 1 }
        let date = CivilDate(daysSinceEpoch: Int(days))
        let secs = Int(rem / 1000), ms = Int(rem % 1000)
        ASCIIDigits.appendPadded(date.year, 4, to: &out)
        if separators { out.append(UInt8(ascii: "-")) }
        ASCIIDigits.appendPadded(date.month, 2, to: &out)
        if separators { out.append(UInt8(ascii: "-")) }
        ASCIIDigits.appendPadded(date.day, 2, to: &out)
        out.append(UInt8(ascii: "T"))
        ASCIIDigits.appendPadded(secs / 3600, 2, to: &out)
        if separators { out.append(UInt8(ascii: ":")) }
        ASCIIDigits.appendPadded(secs / 60 % 60, 2, to: &out)
        if separators { out.append(UInt8(ascii: ":")) }
        ASCIIDigits.appendPadded(secs % 60, 2, to: &out)
        if ms != 0 {
            out.append(UInt8(ascii: "."))
            ASCIIDigits.appendPadded(ms, 3, to: &out)
        }
        if offsetSeconds == 0 { out.append(UInt8(ascii: "Z")); return }
        let a = abs(offsetSeconds) / 60
        out.append(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        ASCIIDigits.appendPadded(a / 60, 2, to: &out)
        if separators { out.append(UInt8(ascii: ":")) }
        ASCIIDigits.appendPadded(a % 60, 2, to: &out)
    }
}
