import Foundation
import PhideskCrypto
import PhideskAuth
import PhideskKeys
import PhideskPolicy
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

/// Creates benchmark vaults and signs a benchmark user in, as a clinic's user would be.
enum BenchVaults {
    static let actor = "phidesk-bench"
    static let userPassword = "quiet orchard lantern forty two"

    // Argon2 is measured on its own; vaults that measure something else use a cheap KDF
    // so creating dozens of them does not dominate the run.
    static let cheapKDF = Argon2id.Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)

    /// One role that may do everything with a full view of every type in the shared data,
    /// so projection costs nothing and the figures measure storage and crypto.
    static let policy: AccessPolicy = {
        let types = [
            "AllergyIntolerance", "Basic", "CarePlan", "CareTeam", "Claim", "Composition",
            "Condition", "Coverage", "Device", "DiagnosticReport", "DocumentReference",
            "Encounter", "ExplanationOfBenefit", "Goal", "ImagingStudy", "Immunization",
            "Location", "Medication", "MedicationAdministration", "MedicationRequest",
            "MedicationStatement", "Observation", "Organization", "Patient", "Practitioner",
            "PractitionerRole", "Procedure", "Provenance", "ServiceRequest", "SupplyDelivery",
        ]
        let resources = types.map { "\"\($0)\": {\"view\": \"full\"}" }.joined(separator: ", ")
        let json = """
            {"format": "phidesk-policy", "version": 1, "roles": {"bench": {
              "description": "Benchmark runner: every permission, every field.",
              "permissions": ["patient.search", "record.read", "record.import",
                              "record.export", "audit.read", "user.manage"],
              "resources": {\(resources)}}}}
            """
        // Force unwrap OK: the text above is fixed and a test run loads it every time.
        return try! AccessPolicy.load(Array(json.utf8))
    }()

    static func keyProvider() -> PassphraseKeyProvider {
        PassphraseKeyProvider(
            passphrase: SecureBytes(copying: Array("phidesk-bench-passphrase".utf8)),
            parameters: cheapKDF)
    }

    /// Authenticator secrets of the bench users, by vault folder (memory only).
    nonisolated(unsafe) private static var secrets: [String: TOTPSecret] = [:]
    nonisolated(unsafe) private static var signIns = 0

    /// A fresh vault with a signed-in bench user; `plaintext` switches on the benchmark-only
    /// unencrypted record mode before anything is stored.
    static func create(in scratch: Scratch, plaintext: Bool = false) throws -> Vault {
        let location = VaultLocation(directory: scratch.newPath("vault"))
        let installer = try Vault.create(at: location, keyProvider: keyProvider(), actor: actor)
        try installer.setKeySlotParametersForBenchmarks(cheapKDF)
        let enrolment = try installer.addUser(
            NewUser(loginName: "bench", displayName: "Bench Runner", roles: ["bench"],
                    password: SecureBytes(copying: Array(userPassword.utf8))),
            policy: policy)
        installer.close()
        secrets[location.directory] = try totpSecret(fromURI: enrolment.otpauthURI)
        return try signIn(location, plaintext: plaintext)
    }

    /// Signs in afresh, so reads start with no unwrapped data keys cached, as after a
    /// real sign-in.
    static func reopen(_ vault: Vault) throws -> Vault {
        let plaintext = vault.options.insecurePlaintextRecordsForBenchmarks
        vault.close()
        return try signIn(vault.location, plaintext: plaintext)
    }

    private static func signIn(_ location: VaultLocation, plaintext: Bool) throws -> Vault {
        // Every sign-in uses a later time step: a code works once.
        signIns += 1
        let now = Date().addingTimeInterval(TimeInterval(signIns * 30))
        guard let secret = secrets[location.directory] else { throw BenchError("no secret") }
        let vault = try Vault.signIn(
            at: location, loginName: "bench",
            password: SecureBytes(copying: Array(userPassword.utf8)),
            secondFactor: .totp(try secret.code(at: now)), policy: policy, actor: actor,
            now: now)
        vault.options.insecurePlaintextRecordsForBenchmarks = plaintext
        return vault
    }

    /// The TOTP secret from an otpauth URI (base32, RFC 4648, no padding).
    private static func totpSecret(fromURI uri: String) throws -> TOTPSecret {
        guard let start = uri.range(of: "secret=")?.upperBound else {
            throw BenchError("no secret in the enrolment")
        }
        let base32 = uri[start...].prefix { $0 != "&" }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0
        var value = 0
        var bytes: [UInt8] = []
        for character in base32 {
            guard let index = alphabet.firstIndex(of: character) else {
                throw BenchError("bad base32 in the enrolment")
            }
            value = value << 5 | index
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return TOTPSecret(bytes: SecureBytes(copying: bytes))
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
