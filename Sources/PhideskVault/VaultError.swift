public import Foundation
public import PhideskFHIR

/// What went wrong in a vault operation, in words a user can act on.
///
/// No case carries PHI: input errors name the file (as the user gave it on the command
/// line) and a JSON path, never a value read from the file.
public enum VaultError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No vault exists at the location.
    case vaultNotFound(path: String)
    /// A vault already exists where a new one was to be created.
    case vaultAlreadyExists(path: String)
    /// The vault folder is open to other users (or owned by another user).
    case insecureVaultFolder(path: String)
    /// The passphrase (or other key provider secret) is wrong. Nothing was changed.
    case wrongPassphrase
    /// An input file could not be read.
    case unreadableFile(file: String, errno: Int32)
    /// An input file is not acceptable FHIR; nothing of it was stored.
    case invalidInput(file: String, problem: FHIRError)
    /// Resources in one input refer to each other in a loop where an owner was expected.
    case referenceCycle(file: String, path: String)
    /// No patient has this id.
    case patientNotFound(id: String)
    /// A patient id given by the user is not 32 hexadecimal characters.
    case malformedPatientID
    /// A stored record failed authentication: tampered, moved or corrupted.
    case integrityFailure(recordID: String)
    /// A search was asked with no criteria.
    case emptySearch
    /// The audit trail cannot be extended (its head is missing or forged, or events exist
    /// past it): PHI operations are
    /// refused until an administrator has investigated with `phidesk audit verify`.
    case auditTrailDamaged
    /// Nobody is signed in (the vault was opened with the installation key only).
    case notSignedIn
    /// The session ended (idle timeout, lifetime or sign-out): sign in again.
    case sessionEnded(SessionEnd)
    /// Sign-in failed. Deliberately the same for an unknown user and a wrong password.
    case signInFailed
    /// Too many failed sign-ins: this login name is locked until the given time.
    case accountLocked(until: Date)
    /// The account is disabled by an administrator.
    case accountDisabled
    /// A TOTP code was used a second time (treated as a failed sign-in, and alerted).
    case totpReplayed
    /// The signed-in role may not do this (or the patient is restricted).
    case accessDenied(reason: String)
    /// This action needs a sign-in or re-authentication within the last 5 minutes.
    case reauthenticationRequired
    /// A new password does not meet the password policy.
    case weakPassword([String])
    /// A value given by the user is out of range or malformed (the text says which).
    case invalidArgument(String)
    /// A login name is already taken, or no such user exists.
    case userExists
    case userNotFound
    /// No break-glass grant with this id (or it is already reviewed).
    case grantNotFound
    /// The vault's own files are damaged or unreadable (detail has no PHI).
    case corruptVault(detail: String)

    /// Errors about one input file (the file is skipped; others can still be imported).
    public var isInputError: Bool {
        switch self {
        case .unreadableFile, .invalidInput, .referenceCycle: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .vaultNotFound(let path):
            return "no vault at \(path) (create one with `phidesk init`)"
        case .vaultAlreadyExists(let path):
            return "a vault (or other files) already exists at \(path)"
        case .insecureVaultFolder(let path):
            return "the vault folder \(path) is accessible to other users; "
                + "run `chmod 700` on it (and check its owner)"
        case .wrongPassphrase:
            return "wrong passphrase; the vault was not opened and nothing was changed"
        case .unreadableFile(let file, let errno):
            return "\(file): cannot read (errno \(errno))"
        case .invalidInput(let file, let problem):
            return "\(file): \(problem.description); nothing from this file was stored"
        case .referenceCycle(let file, let path):
            return "\(file): reference cycle at \(path); nothing from this file was stored"
        case .patientNotFound(let id):
            return "no patient with id \(id)"
        case .malformedPatientID:
            return "a patient id is 32 hexadecimal characters, as printed by `phidesk search`"
        case .integrityFailure(let recordID):
            return "record \(recordID) failed its integrity check (tampered or corrupted)"
        case .emptySearch:
            return "give at least one search criterion"
        case .auditTrailDamaged:
            return "the audit trail is damaged (missing, forged or extended behind its head); "
                + "operations are refused until it is investigated: run `phidesk audit verify`"
        case .notSignedIn:
            return "not signed in: run `phidesk login`"
        case .sessionEnded(let end):
            switch end {
            case .idle: return "the session locked after being idle; run `phidesk login`"
            case .lifetime: return "the session reached its 12-hour limit; run `phidesk login`"
            case .signOut, .locked: return "the session has ended; run `phidesk login`"
            }
        case .signInFailed:
            return "sign-in failed: unknown user, wrong password or wrong code"
        case .accountLocked(let until):
            let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
            return "too many failed sign-ins; try again in \(minutes) minute(s) "
                + "or ask an administrator to unlock the account"
        case .accountDisabled:
            return "this account is disabled; ask an administrator"
        case .totpReplayed:
            return "sign-in failed: unknown user, wrong password or wrong code"
        case .accessDenied(let reason):
            return "access denied (\(reason))"
        case .reauthenticationRequired:
            return "this action needs you to confirm your identity again: run `phidesk reauth`"
        case .weakPassword(let problems):
            return "the password is not acceptable: " + problems.joined(separator: "; ")
        case .invalidArgument(let message):
            return message
        case .userExists:
            return "a user with this login name already exists"
        case .userNotFound:
            return "no such user"
        case .grantNotFound:
            return "no open break-glass grant with this id"
        case .corruptVault(let detail):
            return "the vault is damaged: \(detail)"
        }
    }
}
