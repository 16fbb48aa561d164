#if canImport(Glibc)
import Glibc
#endif

/// A UTC wall-clock instant with millisecond precision, rendered as ISO-8601
/// (`2026-12-03T16:40:00.123Z`), between 1970-01-01 and 9999-12-31.
///
/// Wall time is what people read in the trail; it can jump (NTP, manual changes), which is
/// why events also carry a monotonic reading.
public struct AuditTimestamp: Sendable, Equatable, Hashable, Comparable, Codable,
    CustomStringConvertible
{
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSinceEpoch: Int64

    /// 9999-12-31T23:59:59.999Z: the last instant with a four-digit year.
    public static let maximumMilliseconds: Int64 = 253_402_300_799_999

    /// Nil when the instant is before 1970 or after year 9999.
    public init?(millisecondsSinceEpoch: Int64) {
        guard (0...Self.maximumMilliseconds).contains(millisecondsSinceEpoch) else { return nil }
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The current wall-clock time (CLOCK_REALTIME), truncated to milliseconds.
    public static func now() -> AuditTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let milliseconds = Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000

        // A clock set outside the representable range still yields a usable event.
        let clamped = min(max(milliseconds, 0), maximumMilliseconds)
        return AuditTimestamp(millisecondsSinceEpoch: clamped)!
    }

    /// Parses exactly the form ``iso8601`` produces; anything else is nil.
    public init?(iso8601 text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 24 else { return nil }

        // Separators at fixed positions: YYYY-MM-DDTHH:MM:SS.mmmZ
        let separators: [(Int, Character)] = [
            (4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z"),
        ]
        for (index, character) in separators where bytes[index] != character.asciiValue! {
            return nil
        }

        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16),
            let second = number(17..<19), let millisecond = number(20..<23),
            year >= 1970, (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        guard let parsed = AuditTimestamp(millisecondsSinceEpoch: seconds * 1000 + millisecond)
        else { return nil }

        // Round-tripping rejects impossible dates such as February 30, which the
        // arithmetic above would silently roll into March.
        guard parsed.iso8601 == String(decoding: bytes, as: UTF8.self) else { return nil }
        self = parsed
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, always 24 characters.
    public var iso8601: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // Byte-level rendering: events are encoded on every audited operation, and building
    // the text from small Strings cost more than the MAC.
    func appendISO8601(to bytes: inout [UInt8]) {
        let milliseconds = millisecondsSinceEpoch % 1000
        let totalSeconds = millisecondsSinceEpoch / 1000
        let secondOfDay = totalSeconds % 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: totalSeconds / 86_400)

        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        bytes.append(UInt8(ascii: "."))
        digits(milliseconds, 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    public var description: String { iso8601 }

    public static func < (lhs: AuditTimestamp, rhs: AuditTimestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    // Encoded as the ISO string so `--json` output is readable without conversion.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let parsed = AuditTimestamp(iso8601: try container.decode(String.self)) else {
            throw AuditError.invalidField(.wallTime)
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

/// Readings of the system clocks used in events.
public enum AuditClock {
    /// CLOCK_MONOTONIC in nanoseconds: orders events within one boot even when the wall
    /// clock is changed.
    public static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// The effective OS user's login name when it fits the actor charset, otherwise
    /// `uid:<number>` so an unusual account name never fails an audit write.
    public static func currentActor() -> String {
        let uid = geteuid()
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        if status == 0, result != nil, let namePointer = entry.pw_name {
            let name = String(cString: namePointer)
            if AuditValidation.isToken(name) { return name }
        }
        return "uid:\(uid)"
    }
}

// Days since 1970-01-01 of a proleptic Gregorian date (year >= 1970). Counts years from
// March so the leap day is the last day of the counted year.
private func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
    let marchYear = month <= 2 ? year - 1 : year
    let era = marchYear / 400
    let yearOfEra = marchYear - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    // 719_468 is the day number of 1970-01-01 counted from 0000-03-01.
    return era * 146_097 + dayOfEra - 719_468
}

// Inverse of daysSinceEpoch for non-negative day counts.
private func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
    let shifted = days + 719_468
    let era = shifted / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
}
