public import Foundation
import PhideskAuth
import PhideskCrypto

/// A local account, sealed in the vault under the shared data key.
///
/// Holds the TOTP secret and hashed recovery codes; the password itself is never stored:
/// it only unwraps the user's key slot (an Argon2id-wrapped copy of the master key).
struct UserRecord: Codable, Equatable {
    enum Status: String, Codable { case active, disabled }

    var userID: String
    var loginName: String
    var displayName: String
    var roles: [String]
    var status: Status
    /// Hex of the TOTP secret. LIMITATION: decoding the record puts it in a String.
    var totpSecretHex: String
    var lastTOTPStep: UInt64?
    var recoveryCodes: [StoredRecoveryCode]
    var createdAt: Date
    var updatedAt: Date

    static func aad(userID: [UInt8]) -> [UInt8] {
        Array("phidesk.user.v1".utf8) + userID
    }

    func totpSecret() throws -> TOTPSecret {
        guard let bytes = [UInt8](hexString: totpSecretHex) else {
            throw VaultError.corruptVault(detail: "a user record is unreadable")
        }
        return TOTPSecret(bytes: SecureBytes(copying: bytes))
    }
}

/// What `phidesk user list` shows: no secrets.
public struct UserSummary: Sendable, Codable, Equatable {
    public var userID: String
    public var loginName: String
    public var displayName: String
    public var roles: [String]
    public var status: String
    public var lockedUntil: Date?
}

/// Printed once when an account is created or its MFA reset: the authenticator URI (with
/// a terminal QR code) and the one-time recovery codes.
///
/// - Warning: Holds secrets as Strings for display; show, then drop.
public struct MFAEnrolment: Sendable {
    public var userID: String
    public var otpauthURI: String
    public var recoveryCodes: [String]
}
