public import PhideskCrypto

/// Supplies the vault master key (the key-encryption key, KEK).
///
/// The vault stores only an opaque enrolment record per provider; the provider alone knows
/// how to turn it back into the master key. Passphrase, OS keychain and PKCS#11 providers
/// all fit this seam: each wraps the same random 256-bit master key its own way.
public protocol KeyProvider: Sendable {
    /// Stable name stored with the vault, e.g. "passphrase".
    var kind: String { get }

    /// Wraps `masterKey` for storage and returns the enrolment record to keep in the vault.
    func enrol(masterKey: SymmetricKey) throws -> [UInt8]

    /// Recovers the master key from an enrolment record made by `enrol`.
    /// - Throws: ``KeyError/wrongPassphrase`` (or the provider's equivalent) without side
    ///   effects when the secret does not match.
    func unlock(enrolment: [UInt8]) throws -> SymmetricKey
}
