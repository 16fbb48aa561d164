public import PhideskCrypto
import Foundation

/// Unwraps the master key with a key derived from a passphrase by Argon2id.
///
/// The Argon2id parameters and salt are stored in the enrolment record, so a later build
/// can raise the cost without guessing what an old vault used.
public struct PassphraseKeyProvider: KeyProvider {
    public static let minimumPassphraseLength = 12
    public let kind = "passphrase"

    private let passphrase: SecureBytes
    private let parameters: Argon2id.Parameters

    public init(passphrase: SecureBytes, parameters: Argon2id.Parameters = .vaultDefault) {
        self.passphrase = passphrase
        self.parameters = parameters
    }

    /// Counts UTF-8 characters (bytes that do not continue a multi-byte sequence) without
    /// turning the secret into a String.
    static func characterCount(_ secret: SecureBytes) -> Int {
        secret.withUnsafeBytes { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    }

    /// What the vault stores. Salt and wrapped key are not secret without the passphrase.
    struct Enrolment: Codable {
        var format: Int
        var kdf: String
        var parameters: Argon2id.Parameters
        var salt: String
        var wrappingKeyID: String
        var masterKeyID: String
        var wrappedMasterKey: String
    }

    private static let aad = Array("phidesk.master-key.passphrase.v1".utf8)

    public func enrol(masterKey: SymmetricKey) throws -> [UInt8] {
        guard Self.characterCount(passphrase) >= Self.minimumPassphraseLength else {
            throw KeyError.passphraseTooShort(minimum: Self.minimumPassphraseLength)
        }
        let salt = try SystemRandom.bytes(count: Argon2id.saltByteCount)
        let wrappingKey = try SymmetricKey(
            id: try KeyID.random(),
            secret: try Argon2id.derive(passphrase: passphrase, salt: salt, parameters: parameters))

        let wrapped = try masterKey.withUnsafeKeyBytes { keyBytes in
            try Self.aad.withUnsafeBytes { aad in
                try AESGCM(key: wrappingKey).seal(keyBytes, authenticating: aad)
            }
        }

        let record = Enrolment(
            format: 1, kdf: "argon2id", parameters: parameters, salt: salt.hexString,
            wrappingKeyID: wrappingKey.id.description, masterKeyID: masterKey.id.description,
            wrappedMasterKey: wrapped.hexString)
        return Array(try JSONEncoder().encode(record))
    }

    public func unlock(enrolment: [UInt8]) throws -> SymmetricKey {
        guard let record = try? JSONDecoder().decode(Enrolment.self, from: Data(enrolment)),
            record.format == 1, record.kdf == "argon2id",
            let salt = [UInt8](hexString: record.salt),
            let wrappingID = [UInt8](hexString: record.wrappingKeyID),
            wrappingID.count == KeyID.byteCount,
            let masterID = [UInt8](hexString: record.masterKeyID),
            masterID.count == KeyID.byteCount,
            let wrapped = [UInt8](hexString: record.wrappedMasterKey)
        else {
            throw KeyError.malformedEnrolment
        }

        let wrappingKey = try SymmetricKey(
            id: KeyID(bytes: wrappingID),
            secret: try Argon2id.derive(
                passphrase: passphrase, salt: salt, parameters: record.parameters))
        do {
            let secret = try AESGCM(key: wrappingKey).open(wrapped, authenticating: Self.aad)
            return try SymmetricKey(id: KeyID(bytes: masterID), secret: secret)
        } catch CryptoError.authenticationFailure {
            throw KeyError.wrongPassphrase
        } catch is CryptoError {
            throw KeyError.malformedEnrolment
        }
    }
}
