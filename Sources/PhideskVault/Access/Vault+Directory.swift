import PhideskCrypto
import PhideskStore

/// The directory manifest: a keyed MAC over everything that decides who may do what —
/// user records, key slots, break-glass grants and restricted patients.
///
/// Each sealed user record authenticates only itself, so putting back an older copy of a
/// row (re-enabling a disabled account, reviving a used recovery code, re-opening a
/// reviewed grant, lifting a restriction) would otherwise go unseen. Every change to these
/// tables first checks the manifest, then rewrites it in the same transaction; every access
/// decision checks it. A mismatch fails closed.
extension Vault {
    static let directoryManifestName = "directory_manifest"

    func computeDirectoryManifest() throws -> [UInt8] {
        var input = Array("directory".utf8)
        let users = try store.allUsers()
            .sorted { $0.userID.lexicographicallyPrecedes($1.userID) }
        for user in users {
            input += user.userID
            input += try blindIndex.digest(user.sealed)
        }
        input += Array("slots".utf8)
        for slot in try store.allKeySlots() {
            input += slot.lookup + slot.userID
            input += try blindIndex.digest(slot.enrolment)
        }
        input += Array("grants".utf8)
        for grant in try store.breakGlassGrants(unreviewedOnly: false) {
            input += grant.grantID + grant.userID + grant.sessionID + (grant.patientID ?? [])
            for time in [grant.startedAt, grant.expiresAt, grant.endedAt ?? -1,
                         grant.reviewedAt ?? -1]
            {
                withUnsafeBytes(of: time.bigEndian) { input += $0 }
            }
            input += grant.reviewerID ?? []
            input += try blindIndex.digest(grant.sealedReason + (grant.sealedReview ?? []))
        }
        input += Array("restricted".utf8)
        for patientID in try store.restrictedPatients().sorted(by: {
            $0.lexicographicallyPrecedes($1)
        }) {
            input += patientID
        }
        return try blindIndex.digest(input)
    }

    /// Throws when the directory tables differ from what phidesk last wrote. A vault with
    /// no users yet has no manifest to check.
    func verifyDirectory() throws {
        guard let stored = try store.meta(Self.directoryManifestName) else {
            if try store.allUsers().isEmpty { return }
            throw VaultError.integrityFailure(recordID: vaultID.hexString)
        }
        guard try computeDirectoryManifest() == stored else {
            throw VaultError.integrityFailure(recordID: vaultID.hexString)
        }
    }

    /// Rewrites the manifest after a change (call inside the changing transaction, after
    /// `verifyDirectory()` passed before the change).
    func refreshDirectory() throws {
        try store.setMeta(Self.directoryManifestName, try computeDirectoryManifest())
    }
}
