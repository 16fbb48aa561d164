public import PhideskCrypto

/// The unlocked key hierarchy of one open vault.
///
/// ```
/// master key (KEK, from a KeyProvider)
///  ├─ wraps  data keys (DEKs): one per patient, one for the vault's shared resources
///  ├─ HKDF "phidesk/v1/blind-index" → blind-index key (keyed search tokens)
///  └─ HKDF "phidesk/v1/audit-mac"   → audit MAC key (tamper-evident chain)
/// ```
/// Derived keys are bound to the vault by using its id as the HKDF salt. Unwrapped data
/// keys are cached until ``lock()``, which drops every key (their storage is wiped).
public final class Keyring {
    public static let blindIndexLabel = "phidesk/v1/blind-index"
    public static let auditMACLabel = "phidesk/v1/audit-mac"

    public let masterKeyID: KeyID
    public let blindIndexKey: SymmetricKey
    public let auditKey: SymmetricKey

    private var masterCipher: AESGCM?
    private var masterKey: SymmetricKey?
    private var dataKeyCache: [KeyID: AESGCM] = [:]

    private static let dataKeyLabel = Array("phidesk.data-key.v1".utf8)

    /// - Parameters:
    ///   - vaultID: the vault's random id, used as HKDF salt.
    ///   - blindIndexKeyID, auditKeyID: ids recorded for the derived keys at vault creation.
    public init(
        masterKey: SymmetricKey, vaultID: [UInt8], blindIndexKeyID: KeyID, auditKeyID: KeyID
    ) throws {
        masterKeyID = masterKey.id
        masterCipher = try AESGCM(key: masterKey)
        self.masterKey = masterKey
        blindIndexKey = try HKDF.deriveKey(
            from: masterKey, salt: vaultID, label: Self.blindIndexLabel,
            derivedID: blindIndexKeyID)
        auditKey = try HKDF.deriveKey(
            from: masterKey, salt: vaultID, label: Self.auditMACLabel, derivedID: auditKeyID)
    }

    /// A new random data key, wrapped under the master key and bound to `owner` (a patient
    /// id, or the vault id for shared resources) so a wrapped key moved to another owner
    /// fails to unwrap.
    public func makeDataKey(owner: [UInt8]) throws -> (cipher: AESGCM, wrapped: [UInt8]) {
        let key = try SymmetricKey.generate()
        let aad = Self.dataKeyLabel + key.id.bytes + owner
        let wrapped = try key.withUnsafeKeyBytes { keyBytes in
            try aad.withUnsafeBytes { aadBytes in
                try cipher().seal(keyBytes, authenticating: aadBytes)
            }
        }
        let dataCipher = try AESGCM(key: key)
        dataKeyCache[key.id] = dataCipher
        return (dataCipher, wrapped)
    }

    /// The cipher for a stored data key, unwrapping it on first use.
    public func dataKey(id: KeyID, wrapped: [UInt8], owner: [UInt8]) throws -> AESGCM {
        if let cached = dataKeyCache[id] {
            return cached
        }
        let aad = Self.dataKeyLabel + id.bytes + owner
        let secret: SecureBytes
        do {
            secret = try cipher().open(wrapped, authenticating: aad)
        } catch {
            throw KeyError.dataKeyUnwrapFailed(keyID: id.description)
        }
        let dataCipher = try AESGCM(key: try SymmetricKey(id: id, secret: secret))
        dataKeyCache[id] = dataCipher
        return dataCipher
    }

    /// A cached data key, if it has been unwrapped in this session.
    public func cachedDataKey(id: KeyID) -> AESGCM? {
        dataKeyCache[id]
    }

    /// Number of unwrapped data keys held; lets tests observe that locking wipes them.
    public var cachedDataKeyCount: Int { dataKeyCache.count }

    /// The master key itself, for enrolling a new key slot (a user's password) or sealing
    /// it into a session. Only while unlocked.
    public func masterKeyForEnrolment() throws -> SymmetricKey {
        guard let masterKey else { throw KeyError.keyringLocked }
        return masterKey
    }

    /// Drops the master key and every unwrapped data key.
    public func lock() {
        dataKeyCache.removeAll()
        masterCipher = nil
        masterKey = nil
    }

    public var isLocked: Bool { masterCipher == nil }

    private func cipher() throws -> AESGCM {
        guard let masterCipher else { throw KeyError.keyringLocked }
        return masterCipher
    }
}
