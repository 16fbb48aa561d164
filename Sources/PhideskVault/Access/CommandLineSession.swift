public import Foundation
import PhideskAudit
import PhideskCrypto
import PhideskKeys
public import PhideskPolicy

#if canImport(Glibc)
import Glibc
#endif

/// Keeps a signed-in session between `phidesk` commands, without a daemon and without a
/// key on disk:
///
/// - a random 256-bit session key lives in the kernel's user keyring (per user id, never
///   swapped to disk, expiring by itself at the session's 12-hour limit);
/// - `$XDG_RUNTIME_DIR/phidesk/<vault id>.session` (a tmpfs folder only the user can
///   enter) holds the session metadata and the vault master key, sealed under that key
///   with AAD binding the vault id, the user id and the boot id.
///
/// Either half alone is useless; `phidesk logout`, an idle timeout or a reboot destroys
/// the session. Each command checks idle time and lifetime before doing anything.
public enum CommandLineSession {
    static let keyByteCount = 32

    /// The folder for session files: `$XDG_RUNTIME_DIR`, else `/run/user/<uid>`, else a
    /// private folder in /tmp; each must belong to the user and be closed to others.
    static func runtimeDirectory(_ environment: [String: String]) throws -> String {
        let uid = getuid()
        var candidates: [String] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            candidates.append(runtime)
        }
        candidates.append("/run/user/\(uid)")
        for base in candidates where isPrivateDirectory(base) {
            return try privateSubdirectory(base + "/phidesk")
        }
        return try privateSubdirectory("/tmp/phidesk-session-\(uid)")
    }

    private static func isPrivateDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
            && status.st_uid == getuid() && status.st_mode & 0o077 == 0
    }

    private static func privateSubdirectory(_ path: String) throws -> String {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw VaultError.corruptVault(detail: "cannot create the session folder")
        }
        guard isPrivateDirectory(path) else {
            throw VaultError.corruptVault(
                detail: "the session folder \(path) is not private to this user")
        }
        return path
    }

    static func keyName(vaultID: [UInt8]) -> String {
        "phidesk:session:\(vaultID.hexString):\(getuid())"
    }

    static func filePath(vaultID: [UInt8], environment: [String: String]) throws -> String {
        try runtimeDirectory(environment) + "/\(vaultID.hexString).session"
    }

    private static func aad(vaultID: [UInt8]) -> [UInt8] {
        let bootID = (try? String(
            contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return Array("phidesk.cli-session.v1".utf8) + vaultID + Array("\(getuid())|\(bootID)".utf8)
    }

    /// Stores a brand-new session, ending (and auditing) any other one this user had
    /// open on the vault: one CLI session per user and vault at a time.
    public static func begin(_ vault: Vault, environment: [String: String]) throws {
        let path = try filePath(vaultID: vault.vaultID, environment: environment)
        if FileManager.default.fileExists(atPath: path) {
            try vault.record(.sessionLock, outcome: .success, reasonCode: "replaced-by-sign-in")
            end(vaultID: vault.vaultID, environment: environment)
        }
        try save(vault, environment: environment)
    }

    /// Stores the vault's current session (after sign-in, re-authentication or any change).
    public static func save(_ vault: Vault, environment: [String: String]) throws {
        guard let session = vault.access?.session else { throw VaultError.notSignedIn }
        let name = keyName(vaultID: vault.vaultID)
        let sessionKey = try KernelKeyring.load(name: name, byteCount: keyByteCount)
            ?? SecureBytes.random(count: keyByteCount)
        let remaining = max(1, UInt32(session.expiresAt.timeIntervalSince(vault.clock())))
        try KernelKeyring.store(sessionKey, name: name, lifetimeSeconds: remaining)

        // Layout: master key id (16) ‖ master key (32) ‖ session JSON.
        let masterKey = try vault.keyring.masterKeyForEnrolment()
        var plaintext = masterKey.id.bytes + masterKey.withUnsafeKeyBytes { Array($0) }
        plaintext += try JSONEncoder().encode(session)
        defer { for index in plaintext.indices { plaintext[index] = 0 } }
        let sealed = try sessionCipher(sessionKey).seal(
            plaintext, authenticating: aad(vaultID: vault.vaultID))

        let path = try filePath(vaultID: vault.vaultID, environment: environment)
        let temporary = path + ".new"
        let descriptor = open(
            temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw VaultError.corruptVault(detail: "cannot write the session")
        }
        let written = sealed.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == sealed.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw VaultError.corruptVault(detail: "cannot write the session")
        }
    }

    /// Opens the vault under the stored session, or explains why there is none. An idle
    /// or expired session is destroyed (and the lock audited) before the error is thrown.
    public static func resume(
        at location: VaultLocation, policy: AccessPolicy, actor: String,
        environment: [String: String], alertSink: AlertSink? = nil, now: Date = Date()
    ) throws -> Vault {
        let (store, meta) = try Vault.openStore(location)
        let path = try filePath(vaultID: meta.vaultID, environment: environment)
        guard let sessionKey = KernelKeyring.load(
            name: keyName(vaultID: meta.vaultID), byteCount: keyByteCount),
            let sealed = FileManager.default.contents(atPath: path)
        else {
            throw VaultError.notSignedIn
        }
        let plaintext: SecureBytes
        do {
            plaintext = try sessionCipher(sessionKey).open(
                Array(sealed), authenticating: aad(vaultID: meta.vaultID))
        } catch {
            end(vaultID: meta.vaultID, environment: environment)
            throw VaultError.notSignedIn
        }
        let idCount = KeyID.byteCount
        let (masterKey, session) = try plaintext.withUnsafeBytes { bytes in
            guard bytes.count > idCount + keyByteCount else { throw VaultError.notSignedIn }
            let secret = SecureBytes(
                copying: UnsafeRawBufferPointer(
                    rebasing: bytes[idCount..<(idCount + keyByteCount)]))
            let key = try SymmetricKey(id: KeyID(bytes: Array(bytes[0..<idCount])), secret: secret)
            let session = try JSONDecoder().decode(
                Session.self, from: Data(bytes[(idCount + keyByteCount)...]))
            return (key, session)
        }

        let vault = try Vault.unlocked(
            location: location, actor: actor, store: store, meta: meta, masterKey: masterKey,
            recordOpen: false)
        vault.policy = policy
        vault.alertSink = alertSink
        vault.clock = { now }

        guard let role = policy.role(named: session.role) else {
            end(vaultID: meta.vaultID, environment: environment)
            throw VaultError.notSignedIn
        }
        vault.access = AccessContext(session: session, role: role)

        if let ended = session.expiry(at: now) {
            try? vault.record(.sessionLock, outcome: .success, reasonCode: ended.rawValue)
            vault.close()
            end(vaultID: meta.vaultID, environment: environment)
            throw VaultError.sessionEnded(ended)
        }

        // An account disabled (or stripped of the role) since sign-in loses its session.
        let user = try vault.loadUser(try Vault.parseID(session.userID))
        guard user.status == .active, user.roles.contains(session.role) else {
            try? vault.record(.sessionLock, outcome: .success, reasonCode: "account-changed")
            vault.close()
            end(vaultID: meta.vaultID, environment: environment)
            throw VaultError.sessionEnded(.locked)
        }

        vault.access?.session.lastActivity = now
        try save(vault, environment: environment)
        return vault
    }

    /// The session key has no identity of its own; a fixed id keeps the sealed-box format.
    private static func sessionCipher(_ key: SecureBytes) throws -> AESGCM {
        try AESGCM(
            key: try SymmetricKey(id: KeyID(bytes: [UInt8](repeating: 0, count: 16)), secret: key))
    }

    /// Destroys the stored session (both halves). Safe to call when there is none.
    static func end(vaultID: [UInt8], environment: [String: String]) {
        KernelKeyring.remove(name: keyName(vaultID: vaultID))
        if let path = try? filePath(vaultID: vaultID, environment: environment) {
            unlink(path)
        }
    }

    /// `phidesk logout`: audits the sign-out, wipes keys and destroys the session.
    public static func signOut(_ vault: Vault, environment: [String: String]) throws {
        try vault.record(.signOut, outcome: .success, reasonCode: SessionEnd.signOut.rawValue)
        end(vaultID: vault.vaultID, environment: environment)
        vault.close()
    }
}
