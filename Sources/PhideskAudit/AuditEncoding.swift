/// The canonical, versioned, single-line text form of an ``AuditEvent``: the bytes the
/// chain MACs and the lines of the spool.
///
/// ```
/// v2 <seq> <wallTime> <monotonicNs> <actor> <action> <resourceType> <objectIDs>
///    <outcome> <reasonCode> <count> <severity> <unauthenticated 0|1>
///    <userID> <role> <sessionID> <breakGlassGrant>
/// ```
/// `v1` lines (the first 13 fields, written before users existed) still decode.
/// Fields are separated by one TAB; nil is the empty field; object ids are joined with
/// commas. Hand-written rather than JSON because every field comes from a closed charset
/// without TAB, comma or newline, so no escaping exists and each event has exactly one
/// encoding: decoding then re-encoding reproduces the bytes, which the MAC relies on.
public enum AuditCanonicalEncoding {
    /// The version tag of the form this build writes.
    public static let version = "v2"
    static let fieldCount = 17
    static let version1FieldCount = 13

    private static let tab = UInt8(ascii: "\t")

    /// Encodes a validated event; throws ``AuditError/invalidField(_:)`` if it is not.
    public static func encode(_ event: AuditEvent) throws -> [UInt8] {
        // Re-validated here because this is the last point before bytes become permanent.
        try event.validate()

        // Appended byte by byte rather than joined from Strings: this runs once per
        // audited operation and dominates sealing cost otherwise.
        var bytes: [UInt8] = []
        let idBytes = event.objectIDs.count * (AuditValidation.objectIDLength + 1)
        bytes.reserveCapacity(128 + event.actor.utf8.count + idBytes)
        bytes.append(contentsOf: version.utf8)
        bytes.append(tab)
        appendDecimal(event.sequence, to: &bytes)
        bytes.append(tab)
        event.wallTime.appendISO8601(to: &bytes)
        bytes.append(tab)
        appendDecimal(event.monotonicNanoseconds, to: &bytes)
        bytes.append(tab)
        bytes.append(contentsOf: event.actor.utf8)
        bytes.append(tab)
        bytes.append(contentsOf: event.action.rawValue.utf8)
        bytes.append(tab)
        bytes.append(contentsOf: (event.resourceType ?? "").utf8)
        bytes.append(tab)
        for (index, id) in event.objectIDs.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: id.utf8)
        }
        bytes.append(tab)
        bytes.append(contentsOf: event.outcome.rawValue.utf8)
        bytes.append(tab)
        bytes.append(contentsOf: (event.reasonCode ?? "").utf8)
        bytes.append(tab)
        if let count = event.count { appendDecimal(UInt64(count), to: &bytes) }
        bytes.append(tab)
        bytes.append(contentsOf: event.severity.rawValue.utf8)
        bytes.append(tab)
        bytes.append(event.recordedUnauthenticated ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        for field in [event.userID, event.role, event.sessionID, event.breakGlassGrant] {
            bytes.append(tab)
            bytes.append(contentsOf: (field ?? "").utf8)
        }
        return bytes
    }

    // Decimal without leading zeros; `count` is validated non-negative before this runs.
    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// Decodes exactly the form ``encode(_:)`` writes; anything else throws
    /// ``AuditError/malformedEncoding``, ``AuditError/unsupportedEncodingVersion`` or
    /// ``AuditError/invalidField(_:)``.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> AuditEvent {
        let fields = bytes.split(separator: tab, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard let tag = fields.first else { throw AuditError.malformedEncoding }
        guard tag == version || tag == "v1" else {
            let looksVersioned = tag.first == "v" && tag.count > 1
                && tag.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
            throw looksVersioned
                ? AuditError.unsupportedEncodingVersion : AuditError.malformedEncoding
        }
        let expectedCount = tag == version ? fieldCount : version1FieldCount
        guard fields.count == expectedCount else { throw AuditError.malformedEncoding }
        func optional(_ index: Int) -> String? {
            index < fields.count && !fields[index].isEmpty ? fields[index] : nil
        }

        guard let sequence = parseDecimal(fields[1]),
            let wallTime = AuditTimestamp(iso8601: fields[2]),
            let monotonic = parseDecimal(fields[3]),
            let action = AuditAction(rawValue: fields[5]),
            let outcome = AuditOutcome(rawValue: fields[8]),
            let severity = AuditSeverity(rawValue: fields[11])
        else { throw AuditError.malformedEncoding }

        var count: Int?
        if !fields[10].isEmpty {
            guard let parsed = parseDecimal(fields[10]), parsed <= UInt64(Int.max) else {
                throw AuditError.malformedEncoding
            }
            count = Int(parsed)
        }

        let unauthenticated: Bool
        switch fields[12] {
        case "0": unauthenticated = false
        case "1": unauthenticated = true
        default: throw AuditError.malformedEncoding
        }

        // Empty resource type or reason code would re-encode identically to nil, so only
        // nil is representable; the validators reject empty strings anyway.
        let objectIDs = fields[7].isEmpty
            ? []
            : fields[7].split(separator: ",", omittingEmptySubsequences: false)
                .map(String.init)
        return try AuditEvent(
            action: action,
            outcome: outcome,
            actor: fields[4],
            resourceType: fields[6].isEmpty ? nil : fields[6],
            objectIDs: objectIDs,
            reasonCode: fields[9].isEmpty ? nil : fields[9],
            count: count,
            severity: severity,
            wallTime: wallTime,
            monotonicNanoseconds: monotonic,
            recordedUnauthenticated: unauthenticated,
            sequence: sequence,
            userID: optional(13),
            role: optional(14),
            sessionID: optional(15),
            breakGlassGrant: optional(16))
    }

    /// The sequence number written in a body, read without decoding the rest; nil if the
    /// body does not start with `v1<TAB><digits><TAB>` or `v2…`. Used by verification, which must
    /// stay cheap per record.
    public static func sequence(inBody body: UnsafeRawBufferPointer) -> UInt64? {
        // "v1\t" or "v2\t" + at least one digit + "\t".
        guard body.count >= 5, body[0] == UInt8(ascii: "v"),
            body[1] == UInt8(ascii: "1") || body[1] == UInt8(ascii: "2"), body[2] == tab
        else { return nil }

        var value: UInt64 = 0
        var index = 3
        while index < body.count, body[index] != tab {
            let byte = body[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            // A leading zero would make a second encoding of the same number.
            if index == 4, body[3] == UInt8(ascii: "0") { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        guard index > 3, index < body.count else { return nil }
        return value
    }

    // Strict unsigned decimal: digits only, no sign, no leading zeros, no overflow.
    static func parseDecimal(_ text: String) -> UInt64? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 20 else { return nil }
        if utf8.count > 1, utf8.first == UInt8(ascii: "0") { return nil }
        var value: UInt64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
