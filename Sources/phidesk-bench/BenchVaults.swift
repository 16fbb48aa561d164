import Foundation
import PhideskCrypto
import PhideskKeys
@_spi(Benchmarks) import PhideskVault

/// A private temporary directory for every vault and file a run writes; removed at the
/// end even when a benchmark fails.
final class Scratch {
    let path: String
    private var counter = 0

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/phidesk-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700])
    }

    /// A fresh, not yet existing path inside the scratch directory.
    func newPath(_ label: String) -> String {
        counter += 1
        return path + "/\(label)-\(counter)"
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Creates and opens benchmark vaults.
enum BenchVaults {
    static let actor = "phidesk-bench"

    // Argon2 is measured on its own; vaults that measure something else use a cheap KDF
    // so creating dozens of them does not dominate the run.
    static let cheapKDF = Argon2id.Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)

    static func keyProvider() -> PassphraseKeyProvider {
        PassphraseKeyProvider(
            passphrase: SecureBytes(copying: Array("phidesk-bench-passphrase".utf8)),
            parameters: cheapKDF)
    }

    /// A fresh vault; `plaintext` switches on the benchmark-only unencrypted record mode
    /// before anything is stored, so every record of that vault takes the same path.
    static func create(in scratch: Scratch, plaintext: Bool = false) throws -> Vault {
        let location = VaultLocation(directory: scratch.newPath("vault"))
        let vault = try Vault.create(at: location, keyProvider: keyProvider(), actor: actor)
        vault.options.insecurePlaintextRecordsForBenchmarks = plaintext
        return vault
    }

    /// Closes and reopens, so reads start with no unwrapped data keys cached, as after
    /// a real unlock.
    static func reopen(_ vault: Vault) throws -> Vault {
        let plaintext = vault.options.insecurePlaintextRecordsForBenchmarks
        vault.close()
        let reopened = try Vault.open(at: vault.location, keyProvider: keyProvider(), actor: actor)
        reopened.options.insecurePlaintextRecordsForBenchmarks = plaintext
        return reopened
    }

    /// The first identifier value of the Patient in `bundle`, to find that patient's
    /// opaque id by search. Held in memory only, never printed.
    static func patientIdentifier(bundle: String) throws -> String {
        guard let identifier = try firstPatientIdentifier(bundle) else {
            throw BenchError("the bundle has no Patient with an identifier")
        }
        return identifier
    }

    /// The opaque id of the patient carrying `identifier`, found through search.
    static func patientID(in vault: Vault, identifier: String) throws -> String {
        let matches = try vault.search(PatientQuery(identifier: identifier))
        guard matches.count == 1 else {
            throw BenchError("expected one patient, found \(matches.count)")
        }
        return matches[0].patientID
    }

    private static func firstPatientIdentifier(_ bundle: String) throws -> String? {
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        for entry in json?["entry"] as? [[String: Any]] ?? [] {
            guard let resource = entry["resource"] as? [String: Any],
                resource["resourceType"] as? String == "Patient"
            else { continue }
            let identifiers = resource["identifier"] as? [[String: Any]] ?? []
            return identifiers.compactMap { $0["value"] as? String }.first
        }
        return nil
    }
}

/// A benchmark failure described without PHI.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
