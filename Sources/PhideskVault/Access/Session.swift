public import Foundation
import PhideskCrypto

/// How a session's user proved who they are.
public enum AuthenticationMethod: String, Sendable, Codable {
    case passwordAndTOTP = "password-totp"
    case passwordAndRecoveryCode = "password-recovery-code"
    /// Reserved for sign-in through an identity provider.
    case oidc
}

/// An emergency-access grant active in a session.
public struct BreakGlassState: Sendable, Codable, Equatable {
    public var grantID: String
    /// The patient the grant is for; nil means any patient.
    public var patientID: String?
    public var expiresAt: Date
}

/// Who is signed in, in which role, how and since when. Knows nothing of keys, so it can
/// describe a CLI session, a desktop session or (later) one from an identity provider.
public struct Session: Sendable, Codable, Equatable {
    public static let absoluteLifetime: TimeInterval = 12 * 3600
    public static let defaultIdleTimeout: TimeInterval = 15 * 60
    public static let maximumIdleTimeout: TimeInterval = 30 * 60
    /// Sensitive actions need an authentication no older than this.
    public static let reauthenticationWindow: TimeInterval = 5 * 60

    public var sessionID: String
    public var userID: String
    public var role: String
    public var method: AuthenticationMethod
    public var startedAt: Date
    /// The last full authentication (sign-in or re-authentication).
    public var authenticatedAt: Date
    public var lastActivity: Date
    public var idleTimeout: TimeInterval
    public var breakGlass: BreakGlassState?

    public var expiresAt: Date { startedAt.addingTimeInterval(Self.absoluteLifetime) }

    /// Why a session can no longer be used at `now`, if it can't.
    public func expiry(at now: Date) -> SessionEnd? {
        if now >= expiresAt { return .lifetime }
        if now.timeIntervalSince(lastActivity) > idleTimeout { return .idle }
        return nil
    }

    public func isRecentlyAuthenticated(at now: Date) -> Bool {
        now.timeIntervalSince(authenticatedAt) <= Self.reauthenticationWindow
    }

    /// The break-glass grant, if still running at `now`.
    public func activeBreakGlass(at now: Date) -> BreakGlassState? {
        guard let grant = breakGlass, grant.expiresAt > now else { return nil }
        return grant
    }
}

/// Why a session ended.
public enum SessionEnd: String, Sendable, Codable {
    case idle = "idle-timeout"
    case lifetime = "lifetime-expired"
    case signOut = "signed-out"
    case locked = "locked"
}
