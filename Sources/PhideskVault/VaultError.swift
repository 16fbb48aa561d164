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
        case .corruptVault(let detail):
            return "the vault is damaged: \(detail)"
        }
    }
}
