import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a vault lives on disk: one private directory (mode 0700) holding the
/// database (plus its WAL and shared-memory files) and the pre-authentication audit spool.
public struct VaultLocation: Sendable, Equatable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$PHIDESK_VAULT`, else `$XDG_DATA_HOME/phidesk`, else `~/.local/share/phidesk`.
    public static func defaultLocation(environment: [String: String]) -> VaultLocation {
        if let explicit = environment["PHIDESK_VAULT"], !explicit.isEmpty {
            return VaultLocation(directory: explicit)
        }
        if let dataHome = environment["XDG_DATA_HOME"], !dataHome.isEmpty {
            return VaultLocation(directory: dataHome + "/phidesk")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return VaultLocation(directory: home + "/.local/share/phidesk")
    }

    public var databasePath: String { directory + "/vault.sqlite" }
    public var pendingAuditPath: String { directory + "/audit-pending.log" }
    var lockPath: String { directory + "/vault.lock" }

    /// Runs `body` holding an exclusive advisory lock (flock) on the vault folder's lock
    /// file, so cooperating phidesk processes serialise spool access.
    func withExclusiveLock<Result>(_ body: () throws -> Result) throws -> Result {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw VaultError.corruptVault(detail: "cannot open the vault lock (errno \(errno))")
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw VaultError.corruptVault(detail: "cannot lock the vault (errno \(errno))")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    var exists: Bool { FileManager.default.fileExists(atPath: databasePath) }

    /// Checks, before any use, that a vault exists here and its folder is private; throws
    /// the same errors opening it would.
    public func checkReady() throws {
        guard exists else { throw VaultError.vaultNotFound(path: directory) }
        try checkPrivate()
    }

    /// Refuses a vault folder that other users can enter or that another user owns: the
    /// ciphertext is safe, but the audit metadata and the spool are not meant for them.
    func checkPrivate() throws {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            throw VaultError.vaultNotFound(path: directory)
        }
        guard status.st_uid == geteuid(), status.st_mode & 0o077 == 0 else {
            throw VaultError.insecureVaultFolder(path: directory)
        }
    }

    /// Removes a vault that `init` created moments ago and could not finish (its own
    /// files only, then the folder if empty).
    public func removeNewVault() throws {
        for suffix in ["", "-wal", "-shm"] {
            unlink(databasePath + suffix)
        }
        unlink(pendingAuditPath)
        unlink(lockPath)
        rmdir(directory)
    }

    /// Creates the folder (0700). An existing folder must be empty: a vault never shares
    /// its folder, and tightening someone else's folder's mode would surprise them.
    func createDirectory() throws {
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: directory),
            !contents.isEmpty
        {
            throw VaultError.vaultAlreadyExists(path: directory)
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o700], ofItemAtPath: directory)
    }
}
