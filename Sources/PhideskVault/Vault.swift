import Foundation

#if canImport(Glibc)
import Glibc
#endif
import PhideskAudit
public import PhideskCrypto
public import PhideskKeys
import PhideskPolicy
import PhideskStore

/// An open, unlocked vault: the encrypted store, its keys and its audit trail.
///
/// Every operation that reads or writes PHI goes through this type and leaves an audit
/// event; writes commit together with their event, reads make their event durable before
/// returning data. Not thread-safe: one owner at a time.
public final class Vault {
    public let location: VaultLocation
    public let actor: String

    let store: VaultStore
    let keyring: Keyring
    let blindIndex: BlindIndex
    let vaultID: [UInt8]
    let sharedDataKeyID: KeyID
    var audit: VaultAuditTrail

    /// The signed-in user and role; nil when opened with the installation key only, which
    /// permits no PHI access.
    public internal(set) var access: AccessContext?
    /// The role policy in force (loaded and validated at start).
    var policy: AccessPolicy?
    /// Where security alerts go besides the audit trail.
    public var alertSink: AlertSink?
    /// The clock; tests move it to exercise idle locks and expiry.
    var clock: () -> Date = { Date() }
    @_spi(Benchmarks) public var options = Options()

    /// Settings that exist only for measurement.
    /// Lowers the Argon2id cost of user key slots made from now on, so a benchmark that
    /// creates dozens of vaults measures what it is about, not the KDF.
    @_spi(Benchmarks) public func setKeySlotParametersForBenchmarks(
        _ parameters: Argon2id.Parameters
    ) throws {
        try store.setMeta(Meta.slotParameters, Array(try JSONEncoder().encode(parameters)))
    }

    @_spi(Benchmarks) public struct Options: Sendable {
        /// Store records unencrypted (same layout, same path) to measure crypto overhead.
        /// - Warning: Benchmarks only; the vault it writes holds plaintext PHI.
        public var insecurePlaintextRecordsForBenchmarks = false
        public init() {}
    }

    enum Meta {
        static let format = "format"
        static let formatValue = Array("phidesk-vault-1".utf8)
        static let vaultID = "vault_id"
        static let provider = "key_provider"
        static let enrolment = "key_enrolment"
        static let blindIndexKeyID = "blind_index_key_id"
        static let auditKeyID = "audit_key_id"
        static let sharedDataKeyID = "shared_data_key_id"
        static let loginSalt = "login_salt"
        static let slotParameters = "user_slot_kdf"
        static let idleTimeoutSeconds = "idle_timeout_seconds"
    }

    private init(
        location: VaultLocation, actor: String, store: VaultStore, keyring: Keyring,
        vaultID: [UInt8], sharedDataKeyID: KeyID
    ) throws {
        self.location = location
        self.actor = actor
        self.store = store
        self.keyring = keyring
        self.vaultID = vaultID
        self.sharedDataKeyID = sharedDataKeyID
        blindIndex = try BlindIndex(key: keyring.blindIndexKey)
        audit = try VaultAuditTrail(store: store, key: keyring.auditKey)
    }

    // MARK: - Create and open

    /// Creates a new vault: a random master key enrolled with `keyProvider`, derived index
    /// and audit keys, and the data key for resources that belong to no patient.
    public static func create(
        at location: VaultLocation, keyProvider: any KeyProvider, actor: String
    ) throws -> Vault {
        guard !location.exists else {
            throw VaultError.vaultAlreadyExists(path: location.directory)
        }

        // Enrol first: a refused passphrase must not leave an empty vault folder behind.
        let masterKey = try SymmetricKey.generate()
        let enrolment = try keyProvider.enrol(masterKey: masterKey)
        let vaultID = try SystemRandom.bytes(count: 16)
        let indexKeyID = try KeyID.random()
        let auditKeyID = try KeyID.random()
        let keyring = try Keyring(
            masterKey: masterKey, vaultID: vaultID, blindIndexKeyID: indexKeyID,
            auditKeyID: auditKeyID)

        try location.createDirectory()
        let store = try VaultStore(path: location.databasePath, create: true)
        let shared = try keyring.makeDataKey(owner: vaultID)
        let vault = try Vault(
            location: location, actor: actor, store: store, keyring: keyring, vaultID: vaultID,
            sharedDataKeyID: shared.cipher.keyID)

        // Metadata and the first audit event commit together: a vault without an audit
        // head is then always a wiped trail, never a half-created vault.
        try store.inTransaction {
            try store.setMeta(Meta.format, Meta.formatValue)
            try store.setMeta(Meta.vaultID, vaultID)
            try store.setMeta(Meta.provider, Array(keyProvider.kind.utf8))
            try store.setMeta(Meta.enrolment, enrolment)
            try store.setMeta(Meta.blindIndexKeyID, indexKeyID.bytes)
            try store.setMeta(Meta.auditKeyID, auditKeyID.bytes)
            try store.setMeta(Meta.sharedDataKeyID, shared.cipher.keyID.bytes)
            try store.insertDataKey(
                keyID: shared.cipher.keyID.bytes, wrapped: shared.wrapped,
                kekID: masterKey.id.bytes)
            let genesis = try AuditEvent(
                action: .vaultInit, outcome: .success, actor: actor,
                objectIDs: [vaultID.hexString])
            try vault.audit.append(genesis, startingChain: true)
        }
        return vault
    }

    /// Opens and unlocks an existing vault.
    ///
    /// A wrong passphrase throws ``VaultError/wrongPassphrase`` and changes nothing in the
    /// vault; the failed attempt is spooled and sealed into the audit chain at the next
    /// successful open.
    public static func open(
        at location: VaultLocation, keyProvider: any KeyProvider, actor: String
    ) throws -> Vault {
        let (store, meta) = try openStore(location)
        guard meta.providerKind == keyProvider.kind else {
            throw KeyError.unsupportedProvider(meta.providerKind)
        }

        let masterKey: SymmetricKey
        do {
            masterKey = try keyProvider.unlock(enrolment: meta.enrolment)
        } catch KeyError.wrongPassphrase {
            try spool(
                try AuditEvent(
                    action: .vaultOpen, outcome: .failure, actor: actor,
                    reasonCode: "wrong-passphrase", severity: .alert),
                at: location)
            throw VaultError.wrongPassphrase
        }
        return try unlocked(
            location: location, actor: actor, store: store, meta: meta, masterKey: masterKey)
    }

    /// What a vault's metadata says about its keys; readable before unlocking.
    struct StoredMeta {
        var vaultID: [UInt8]
        var enrolment: [UInt8]
        var providerKind: String
        var blindIndexKeyID: KeyID
        var auditKeyID: KeyID
        var sharedDataKeyID: KeyID
    }

    /// Opens the database (no keys yet) and reads the key metadata.
    static func openStore(_ location: VaultLocation) throws -> (VaultStore, StoredMeta) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: location.directory, isDirectory: &isDirectory),
            isDirectory.boolValue, Glibc.access(location.directory, R_OK | X_OK) != 0
        {
            throw VaultError.corruptVault(
                detail: "cannot open the vault folder (permission denied: another user's?)")
        }
        guard location.exists else { throw VaultError.vaultNotFound(path: location.directory) }
        try location.checkPrivate()
        let store: VaultStore
        do {
            store = try VaultStore(path: location.databasePath, create: false)
        } catch let error as StoreError {
            throw VaultError.corruptVault(detail: error.description)
        }
        guard try store.meta(Meta.format) == Meta.formatValue,
            let vaultID = try store.meta(Meta.vaultID),
            let enrolment = try store.meta(Meta.enrolment),
            let providerKind = try store.meta(Meta.provider),
            let indexKeyID = try store.meta(Meta.blindIndexKeyID),
            let auditKeyID = try store.meta(Meta.auditKeyID),
            let sharedKeyID = try store.meta(Meta.sharedDataKeyID)
        else {
            throw VaultError.corruptVault(detail: "vault metadata is missing")
        }
        let meta = StoredMeta(
            vaultID: vaultID, enrolment: enrolment,
            providerKind: String(decoding: providerKind, as: UTF8.self),
            blindIndexKeyID: KeyID(bytes: indexKeyID), auditKeyID: KeyID(bytes: auditKeyID),
            sharedDataKeyID: KeyID(bytes: sharedKeyID))
        return (store, meta)
    }

    /// Builds the unlocked vault from its master key, seals spooled events and records
    /// the open (unless `recordOpen` is false because the caller records a sign-in).
    static func unlocked(
        location: VaultLocation, actor: String, store: VaultStore, meta: StoredMeta,
        masterKey: SymmetricKey, recordOpen: Bool = true
    ) throws -> Vault {
        let keyring = try Keyring(
            masterKey: masterKey, vaultID: meta.vaultID, blindIndexKeyID: meta.blindIndexKeyID,
            auditKeyID: meta.auditKeyID)
        let vault = try Vault(
            location: location, actor: actor, store: store, keyring: keyring,
            vaultID: meta.vaultID, sharedDataKeyID: meta.sharedDataKeyID)
        do {
            try vault.sealSpooledEvents()
            if recordOpen {
                try vault.record(
                    .vaultOpen, outcome: .success, objectIDs: [meta.vaultID.hexString])
            }
        } catch VaultError.auditTrailDamaged {
            // Still open, so `audit verify` can name the damage; every operation that
            // must be audited will refuse with the same error.
        }
        return vault
    }

    /// Appends an event to the pre-authentication spool (no audit key yet).
    static func spool(_ event: AuditEvent, at location: VaultLocation) throws {
        try location.withExclusiveLock {
            try AuditSpool.append(event, to: location.pendingAuditPath)
        }
    }

    /// Drops all keys; the object is unusable afterwards.
    public func close() {
        keyring.lock()
    }

    /// Unwrapped data keys currently held in memory (a test hook for lock/close).
    public var unwrappedDataKeyCount: Int { keyring.cachedDataKeyCount }

    // MARK: - Audit helpers

    /// Events spooled by failed opens become part of the chain, marked as recorded before
    /// authentication, then the spool is cleared.
    /// The lock keeps a failed open in another process from appending between the drain
    /// and the clear, which would lose its event.
    private func sealSpooledEvents() throws {
        try location.withExclusiveLock {
            let pending: [AuditEvent]
            do {
                pending = try AuditSpool.drain(location.pendingAuditPath)
            } catch is AuditError {
                // A damaged spool must not lock everyone out: keep it aside for the
                // investigation and record an alert in the chain.
                let aside = location.pendingAuditPath
                    + ".damaged-\(Int(Date().timeIntervalSince1970))"
                rename(location.pendingAuditPath, aside)
                try store.inTransaction {
                    try audit.append(
                        try AuditEvent(
                            action: .alert, outcome: .failure, actor: actor,
                            reasonCode: "audit-spool-damaged", severity: .alert))
                }
                return
            }
            guard !pending.isEmpty else { return }
            try store.inTransaction {
                for event in pending {
                    try audit.append(event.markedUnauthenticated())
                }
            }
            try AuditSpool.clear(location.pendingAuditPath)
        }
    }

    /// Appends one event in its own durable transaction (or the caller's, if one is open).
    func record(
        _ action: AuditAction, outcome: AuditOutcome, resourceType: String? = nil,
        objectIDs: [String] = [], reasonCode: String? = nil, count: Int? = nil,
        severity: AuditSeverity = .info, inTransaction: Bool = false, userID: String? = nil
    ) throws {
        let event = try self.event(
            action, outcome: outcome, resourceType: resourceType, objectIDs: objectIDs,
            reasonCode: reasonCode, count: count, severity: severity, userID: userID)
        if inTransaction {
            try audit.append(event)
        } else {
            try store.inTransaction { try audit.append(event) }
        }
    }

    /// An event stamped with the session's user, role, session id and any running
    /// break-glass grant.
    func event(
        _ action: AuditAction, outcome: AuditOutcome, resourceType: String? = nil,
        objectIDs: [String] = [], reasonCode: String? = nil, count: Int? = nil,
        severity: AuditSeverity = .info, userID: String? = nil
    ) throws -> AuditEvent {
        let session = access?.session
        return try AuditEvent(
            action: action, outcome: outcome, actor: actor, resourceType: resourceType,
            objectIDs: objectIDs, reasonCode: reasonCode, count: count, severity: severity,
            userID: session?.userID ?? userID, role: session?.role,
            sessionID: session?.sessionID,
            breakGlassGrant: session?.activeBreakGlass(at: clock())?.grantID)
    }

    /// Runs a write and its audit event as one transaction; on failure the audit chain's
    /// in-memory head is reloaded so it matches what was rolled back.
    func inAuditedTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try store.inTransaction(body)
        } catch {
            try? audit.reloadHead()
            throw error
        }
    }
}
