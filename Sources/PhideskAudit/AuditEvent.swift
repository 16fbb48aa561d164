/// What an audited operation did. Raw values are the stable names written to the trail.
public enum AuditAction: String, Sendable, Equatable, Codable, CaseIterable {
    case vaultInit = "vault.init"
    case vaultOpen = "vault.open"
    case vaultCheck = "vault.check"
    /// One event per imported bundle, with the number of resources in `count`.
    case importBundle = "import.bundle"
    case search = "search"
    case read = "record.read"
    case export = "record.export"
    case auditVerify = "audit.verify"
    case auditTail = "audit.tail"
    /// A sign-in attempt (password plus second factor).
    case signIn = "auth.signin"
    case signOut = "auth.signout"
    /// A session locked by idle timeout or lifetime, or on request.
    case sessionLock = "auth.lock"
    case reauthenticate = "auth.reauth"
    /// A user account created or changed (roles, status, password, MFA, lockout).
    case userAdd = "user.add"
    case userChange = "user.change"
    case breakGlassStart = "breakglass.start"
    case breakGlassEnd = "breakglass.end"
    case breakGlassReview = "breakglass.review"
    case patientRestrict = "patient.restrict"
    /// A security alert (repeated failures, replay, denials); severity is `alert`.
    case alert = "security.alert"
}

/// How an audited operation ended.
public enum AuditOutcome: String, Sendable, Equatable, Codable, CaseIterable {
    case success
    case failure
    /// Refused before doing anything, for example a wrong passphrase.
    case denied
}

/// Whether an event needs a human's attention (tampering, repeated denials).
public enum AuditSeverity: String, Sendable, Equatable, Codable, CaseIterable {
    case info
    case alert
}

/// One entry of the audit trail.
///
/// **No PHI can enter the trail through this type.** Every string field is validated on
/// construction (and again when encoded or decoded) against a closed form that cannot
/// hold names, free text or search terms:
/// - `actor`: 1–128 characters of `[A-Za-z0-9._:@/+-]` (an OS user name or user id);
/// - `resourceType`: a FHIR type name, `^[A-Z][A-Za-z]+$`, at most 64 characters;
/// - `objectIDs`: opaque ids, each exactly 32 lower-case hex digits;
/// - `reasonCode`: a machine code such as `wrong-passphrase`, `^[a-z][a-z0-9.-]*$`,
///   at most 64 characters;
/// - `count`: non-negative.
/// A value outside its form is rejected with ``AuditError/invalidField(_:)``; it is never
/// truncated or escaped, because a partial name is still PHI.
///
/// `sequence` is 0 until ``AuditChainWriter`` seals the event into the chain.
public struct AuditEvent: Sendable, Equatable, Codable {
    /// Position in the chain, starting at 1; 0 for an event not yet sealed.
    public internal(set) var sequence: UInt64
    public let wallTime: AuditTimestamp
    /// CLOCK_MONOTONIC when the event was created.
    public let monotonicNanoseconds: UInt64
    public let actor: String
    public let action: AuditAction
    public let resourceType: String?
    public let objectIDs: [String]
    public let outcome: AuditOutcome
    public let reasonCode: String?
    /// A count that gives the event meaning, such as search hits or resources imported.
    public let count: Int?
    public let severity: AuditSeverity
    /// True for events written to the pre-authentication spool (before the audit key was
    /// available) and sealed into the chain later: their content was not authenticated
    /// while it waited on disk.
    public internal(set) var recordedUnauthenticated: Bool
    /// The signed-in user (opaque hex id), when there is one.
    public let userID: String?
    /// The role the user acted in, e.g. `clinician`.
    public let role: String?
    /// The session the event happened in (opaque hex id).
    public let sessionID: String?
    /// Set while an emergency (break-glass) grant is active: its opaque id.
    public let breakGlassGrant: String?

    /// Creates a validated event. Clock fields default to now and actor to the OS user.
    public init(
        action: AuditAction,
        outcome: AuditOutcome,
        actor: String = AuditClock.currentActor(),
        resourceType: String? = nil,
        objectIDs: [String] = [],
        reasonCode: String? = nil,
        count: Int? = nil,
        severity: AuditSeverity = .info,
        wallTime: AuditTimestamp = .now(),
        monotonicNanoseconds: UInt64 = AuditClock.monotonicNanoseconds(),
        recordedUnauthenticated: Bool = false,
        sequence: UInt64 = 0,
        userID: String? = nil,
        role: String? = nil,
        sessionID: String? = nil,
        breakGlassGrant: String? = nil
    ) throws {
        self.sequence = sequence
        self.wallTime = wallTime
        self.monotonicNanoseconds = monotonicNanoseconds
        self.actor = actor
        self.action = action
        self.resourceType = resourceType
        self.objectIDs = objectIDs
        self.outcome = outcome
        self.reasonCode = reasonCode
        self.count = count
        self.severity = severity
        self.recordedUnauthenticated = recordedUnauthenticated
        self.userID = userID
        self.role = role
        self.sessionID = sessionID
        self.breakGlassGrant = breakGlassGrant
        try validate()
    }

    /// Throws ``AuditError/invalidField(_:)`` naming the first field out of its form.
    public func validate() throws {
        guard AuditValidation.isToken(actor) else { throw AuditError.invalidField(.actor) }
        if let resourceType, !AuditValidation.isResourceType(resourceType) {
            throw AuditError.invalidField(.resourceType)
        }
        guard objectIDs.count <= AuditValidation.maximumObjectIDCount,
            objectIDs.allSatisfy(AuditValidation.isObjectID)
        else { throw AuditError.invalidField(.objectIDs) }
        if let reasonCode, !AuditValidation.isReasonCode(reasonCode) {
            throw AuditError.invalidField(.reasonCode)
        }
        if let count, count < 0 { throw AuditError.invalidField(.count) }
        for id in [userID, sessionID, breakGlassGrant] {
            if let id, !AuditValidation.isObjectID(id) { throw AuditError.invalidField(.session) }
        }
        if let role, !AuditValidation.isReasonCode(role) {
            throw AuditError.invalidField(.session)
        }
    }

    /// A copy flagged as having waited in the unauthenticated spool.
    public func markedUnauthenticated() -> AuditEvent {
        var copy = self
        copy.recordedUnauthenticated = true
        return copy
    }

    // Decoding (for example JSON from another tool) must not bypass validation.
    private enum CodingKeys: String, CodingKey {
        case sequence, wallTime, monotonicNanoseconds, actor, action, resourceType
        case objectIDs, outcome, reasonCode, count, severity, recordedUnauthenticated
        case userID, role, sessionID, breakGlassGrant
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            action: try values.decode(AuditAction.self, forKey: .action),
            outcome: try values.decode(AuditOutcome.self, forKey: .outcome),
            actor: try values.decode(String.self, forKey: .actor),
            resourceType: try values.decodeIfPresent(String.self, forKey: .resourceType),
            objectIDs: try values.decode([String].self, forKey: .objectIDs),
            reasonCode: try values.decodeIfPresent(String.self, forKey: .reasonCode),
            count: try values.decodeIfPresent(Int.self, forKey: .count),
            severity: try values.decode(AuditSeverity.self, forKey: .severity),
            wallTime: try values.decode(AuditTimestamp.self, forKey: .wallTime),
            monotonicNanoseconds: try values.decode(UInt64.self, forKey: .monotonicNanoseconds),
            recordedUnauthenticated: try values.decode(
                Bool.self, forKey: .recordedUnauthenticated),
            sequence: try values.decode(UInt64.self, forKey: .sequence),
            userID: try values.decodeIfPresent(String.self, forKey: .userID),
            role: try values.decodeIfPresent(String.self, forKey: .role),
            sessionID: try values.decodeIfPresent(String.self, forKey: .sessionID),
            breakGlassGrant: try values.decodeIfPresent(String.self, forKey: .breakGlassGrant))
    }
}

/// The closed forms event fields must match. Byte-level checks on UTF-8, so any
/// non-ASCII character (accented names, for instance) is rejected outright.
public enum AuditValidation {
    public static let maximumTokenLength = 128
    public static let maximumResourceTypeLength = 64
    public static let maximumReasonCodeLength = 64
    public static let objectIDLength = 32
    // LIMITATION: one event names at most this many objects; larger exports should be
    // recorded as several events or with `count` only, to keep each line bounded.
    public static let maximumObjectIDCount = 10_000

    /// `[A-Za-z0-9._:@/+-]{1,128}`.
    // LIMITATION: an ISO date such as 1986-11-27 fits this charset, so an actor field
    // could carry a birth date if the caller chose to; actors come from the OS or the
    // vault's user table, never from record content.
    public static func isToken(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maximumTokenLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "@"),
                UInt8(ascii: "/"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                return true
            default:
                return isAlphanumeric(byte)
            }
        }
    }

    /// `^[A-Z][A-Za-z]+$`, at most 64 characters.
    public static func isResourceType(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count >= 2, utf8.count <= maximumResourceTypeLength,
            let first = utf8.first, isUpper(first)
        else { return false }
        return utf8.dropFirst().allSatisfy { isUpper($0) || isLower($0) }
    }

    /// Exactly 32 lower-case hex digits.
    public static func isObjectID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == objectIDLength else { return false }
        return utf8.allSatisfy { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")) ~= $0 }
    }

    /// `^[a-z][a-z0-9.-]*$`, at most 64 characters. Starting with a letter keeps dates
    /// and numbers out of reason codes.
    public static func isReasonCode(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count <= maximumReasonCodeLength, let first = utf8.first, isLower(first)
        else { return false }
        return utf8.allSatisfy {
            isLower($0) || isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")) ~= byte
    }

    private static func isUpper(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")) ~= byte
    }

    private static func isLower(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")) ~= byte
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isUpper(byte) || isLower(byte)
    }
}
