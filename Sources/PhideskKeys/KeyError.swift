/// Failures while unlocking or using the key hierarchy. Never carries key material.
public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The passphrase did not unwrap the master key. Nothing was changed.
    case wrongPassphrase
    /// The stored enrolment record could not be read (corrupt or from a newer build).
    case malformedEnrolment
    /// The vault was enrolled with a key provider this build does not have.
    case unsupportedProvider(String)
    /// A passphrase shorter than the minimum was offered for a new vault.
    case passphraseTooShort(minimum: Int)
    /// The keyring was locked (keys wiped); the vault must be unlocked again.
    case keyringLocked
    /// A wrapped data key did not unwrap: wrong owner binding or tampering.
    case dataKeyUnwrapFailed(keyID: String)

    public var description: String {
        switch self {
        case .wrongPassphrase:
            return "wrong passphrase: the vault master key could not be unwrapped"
        case .malformedEnrolment:
            return "the vault's key enrolment record is unreadable"
        case .unsupportedProvider(let kind):
            return "the vault uses key provider '\(kind)', which this build does not support"
        case .passphraseTooShort(let minimum):
            return "passphrase too short: at least \(minimum) characters are required"
        case .keyringLocked:
            return "the vault is locked; unlock it again"
        case .dataKeyUnwrapFailed(let keyID):
            return "data key \(keyID) failed to unwrap (tampered or moved)"
        }
    }
}
