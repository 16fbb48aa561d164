import PhideskCrypto
import PhideskStore

/// Manifests: keyed MACs over which records exist, so deleting a record row or rolling one
/// back to an older version is detected (each record authenticates only itself).
///
/// ```
/// patient manifest = HMAC(index key, "manifest" ‖ patient id ‖ Σ (record id ‖ version))
/// vault manifest   = HMAC(index key, "vault-manifest" ‖ Σ (patient id ‖ patient manifest)
///                                     ‖ shared-records manifest)
/// ```
/// Both are rewritten inside the import's transaction. What they cannot catch is a
/// rollback of the whole database file to an older copy (see docs/ARCHITECTURE.md).
extension Vault {
    static let vaultManifestName = "vault_manifest"

    func computeManifest(patientID: [UInt8]?) throws -> [UInt8] {
        var input = Array("manifest".utf8)
        input += patientID ?? vaultID
        for (recordID, version) in try store.recordVersions(patientID: patientID) {
            input += recordID
            withUnsafeBytes(of: UInt64(version).bigEndian) { input += $0 }
        }
        return try blindIndex.digest(input)
    }

    func computeVaultManifest() throws -> [UInt8] {
        var input = Array("vault-manifest".utf8)
        for (patientID, manifest) in try store.patientManifests() {
            input += patientID
            input += manifest ?? []
        }
        input += try computeManifest(patientID: nil)
        // Restrictions are part of what must not change unseen: a deleted row would
        // silently lift one.
        input += Array("restricted".utf8)
        for patientID in try store.restrictedPatients().sorted(
            by: { $0.lexicographicallyPrecedes($1) })
        {
            input += patientID
        }
        return try blindIndex.digest(input)
    }

    /// Rewrites the manifests of the given patients and of the vault (inside the caller's
    /// transaction).
    func refreshManifests(patients: Set<[UInt8]>) throws {
        for patientID in patients {
            try store.setPatientManifest(
                patientID: patientID, manifest: try computeManifest(patientID: patientID))
        }
        try store.setMeta(Self.vaultManifestName, try computeVaultManifest())
    }

    /// Throws an integrity error when a patient's records do not match their manifest.
    /// A patient without a manifest yet (none written) passes here as in `vault check`;
    /// removing a manifest changes the vault manifest instead.
    func verifyManifest(patientID: [UInt8]) throws {
        let stored = try store.patientManifest(patientID: patientID)
        if let stored, try computeManifest(patientID: patientID) != stored {
            throw VaultError.integrityFailure(recordID: patientID.hexString)
        }
    }

    /// Opaque ids of what fails its manifest: patients whose record set changed, and the
    /// vault id when patients or shared records were added or removed behind its back.
    func manifestProblems() throws -> [String] {
        var problems: [String] = []
        for (patientID, stored) in try store.patientManifests() {
            if stored != nil, try computeManifest(patientID: patientID) != stored {
                problems.append(patientID.hexString)
            }
        }
        if let stored = try store.meta(Self.vaultManifestName),
            try computeVaultManifest() != stored
        {
            problems.append(vaultID.hexString)
        }
        return problems
    }
}
