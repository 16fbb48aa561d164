/// Failures of the audit module. Cases name the check that failed and carry only field
/// names, line numbers, sequence numbers or errno codes, never the rejected value, so an
/// error message can never leak the PHI that validation kept out of the trail.
public enum AuditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of an event failed validation (wrong charset, length or shape).
    case invalidField(AuditField)
    /// A canonical body or spool line is not well-formed v1 text.
    case malformedEncoding
    /// A canonical body names a format version this build cannot read.
    case unsupportedEncodingVersion
    /// The chain reached the largest sequence number.
    case sequenceExhausted
    /// A stored head did not authenticate under the audit key, so the chain cannot be
    /// continued from it.
    case invalidHead
    /// The records read back for display do not authenticate; run a full verification.
    case chainBroken(firstBadSequence: UInt64)
    /// A system call on the pre-authentication spool failed.
    case spoolIO(operation: SpoolOperation, errno: Int32)
    /// A complete line of the spool file could not be decoded (1-based line number).
    case malformedSpoolLine(Int)
    /// The spool file is larger than ``AuditSpool/maximumByteCount``.
    case spoolTooLarge

    public var description: String {
        switch self {
        case .invalidField(let field):
            return "audit event field '\(field.rawValue)' is not in its allowed form"
        case .malformedEncoding:
            return "audit record body is malformed"
        case .unsupportedEncodingVersion:
            return "audit record body has an unsupported format version"
        case .sequenceExhausted:
            return "audit chain sequence numbers are exhausted"
        case .invalidHead:
            return "audit chain head does not authenticate under the audit key"
        case .chainBroken(let sequence):
            return "audit chain does not authenticate at sequence \(sequence)"
        case .spoolIO(let operation, let code):
            return "audit spool \(operation.rawValue) failed (errno \(code))"
        case .malformedSpoolLine(let line):
            return "audit spool line \(line) is malformed"
        case .spoolTooLarge:
            return "audit spool file is too large"
        }
    }
}

/// Names an ``AuditEvent`` field in validation errors.
public enum AuditField: String, Sendable, Equatable {
    case sequence
    case wallTime
    case actor
    case resourceType
    case objectIDs
    case reasonCode
    case count
    /// User id, role, session id or break-glass grant id.
    case session
}

/// Names the spool system call that failed.
public enum SpoolOperation: String, Sendable, Equatable {
    case open
    case write
    case read
    case stat
    case fsync
    case unlink
}
