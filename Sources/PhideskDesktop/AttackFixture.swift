import Foundation
import PhideskAuth
import PhideskCrypto
import PhideskKeys
import PhideskPolicy
import PhideskSampleData
@_spi(Benchmarks) import PhideskVault

/// A throwaway world for the attack suite: a private temp folder with a vault holding one
/// small Synthea bundle, three users, and a copy of the UI with traps (symlinks out of
/// the folder, a file of a refused type).
final class AttackFixture {
    static let password = "violet harbour seventeen kites"
    let root: String
    let location: VaultLocation
    let uiRoot: String
    let policy: AccessPolicy
    private var secrets: [String: TOTPSecret] = [:]
    /// The identifier of the imported patient, to search by (memory only, never printed).
    private(set) var patientFamily = ""

    /// Enrolment URIs by login (for the benchmark mode, which signs in from another run).
    private(set) var enrolments: [String: String] = [:]

    init(root explicitRoot: String? = nil) throws {
        root = explicitRoot
            ?? NSTemporaryDirectory()
            + "phidesk-attack-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700])
        location = VaultLocation(directory: root + "/vault")
        uiRoot = root + "/ui"
        policy = try AccessPolicy.bundledDefault()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// `bundle`: the patient bundle to import (default: the smallest shared one).
    func build(bundledUI: String, bundle explicitBundle: String? = nil) throws {
        let bundle = try explicitBundle ?? Self.smallestPatientBundle()
        try copyUI(from: bundledUI)
        let provider = PassphraseKeyProvider(
            passphrase: SecureBytes(copying: Array("attack-suite-passphrase".utf8)),
            parameters: Self.cheap)
        let installer = try Vault.create(at: location, keyProvider: provider, actor: "attack-suite")
        // Cheap Argon2 so the suite does not spend its time in the KDF; same code path.
        try installer.setKeySlotParametersForBenchmarks(Self.cheap)
        // The first user (an administrator) may be created with the installation key;
        // the administrator then adds the others, as in a real installation.
        try addUser("admin", role: "admin", to: installer)
        installer.close()
        let admin = try signIn("admin")
        for (login, role) in [("importer", "clinician"), ("dr.test", "clinician"),
                              ("auditor", "auditor")] {
            try addUser(login, role: role, to: admin)
        }
        admin.close()
        let importer = try signIn("importer")
        defer { importer.close() }
        _ = try importer.importFiles([bundle])
        // The page searches for this patient by family name.
        patientFamily = try Self.familyName(in: bundle)
    }

    private func addUser(_ login: String, role: String, to vault: Vault) throws {
        let enrolment = try vault.addUser(
            NewUser(loginName: login, displayName: Self.displayNames[login] ?? login,
                    roles: [role], password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: policy)
        secrets[login] = try Self.secret(fromURI: enrolment.otpauthURI)
        enrolments[login] = enrolment.otpauthURI
    }

    static let cheap = Argon2id.Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)

    /// Made-up staff names (shown in the header, and in the documentation's screenshots).
    static let displayNames = [
        "admin": "Alex Admin", "importer": "Imogen Import", "dr.test": "Dr. Dana Test",
        "auditor": "Avery Audit",
    ]

    /// Signs a fixture user in directly (not through the page).
    func signIn(_ login: String, at now: Date = Date()) throws -> Vault {
        try Vault.signIn(
            at: location, loginName: login,
            password: SecureBytes(copying: Array(Self.password.utf8)),
            secondFactor: .totp(try code(login, at: now)), policy: policy,
            actor: "attack-suite", now: now)
    }

    func code(_ login: String, at now: Date = Date()) throws -> String {
        guard let secret = secrets[login] else { throw FixtureError.missing }
        return try secret.code(at: now)
    }

    private func copyUI(from bundled: String) throws {
        try Self.copyContents(of: bundled, to: uiRoot)
        let outside = root + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: outside + "/secret.js",
                                           contents: Data("window.__leak = 1".utf8))
        try FileManager.default.createSymbolicLink(atPath: uiRoot + "/escape.js",
                                                   withDestinationPath: outside + "/secret.js")
        try FileManager.default.createSymbolicLink(atPath: uiRoot + "/escape-dir",
                                                   withDestinationPath: outside)
        _ = FileManager.default.createFile(atPath: uiRoot + "/notes.txt",
                                           contents: Data("not servable".utf8))
    }

    /// Copies a folder's files by content only: `FileManager.copyItem` also copies the
    /// owner, which an unprivileged user cannot do for the root-owned installed UI.
    private static func copyContents(of source: String, to destination: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: destination, withIntermediateDirectories: false)
        for name in try manager.contentsOfDirectory(atPath: source) {
            let from = source + "/" + name, to = destination + "/" + name
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: from, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try copyContents(of: from, to: to)
            } else {
                let data = try Data(contentsOf: URL(fileURLWithPath: from))
                guard manager.createFile(atPath: to, contents: data) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: to])
                }
            }
        }
    }

    /// The smallest patient bundle of the shared Synthea data (beside the repository).
    static func smallestPatientBundle() throws -> String {
        let folder = sharedData() + "/fhir/synthea"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix("0-") }
        let sized = names.map { name -> (String, Int) in
            let path = folder + "/" + name
            let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            return (path, size ?? Int.max)
        }
        guard let smallest = sized.min(by: { $0.1 < $1.1 }) else { throw FixtureError.missing }
        return smallest.0
    }

    /// The synthetic sample data; a path that does not exist when none is found, so that
    /// reading from it fails with the file's name.
    static func sharedData() -> String {
        SampleDataLocation.root()?.path ?? "shared/data"
    }

    /// The first Patient's first family name in a bundle (kept in memory for search).
    static func familyName(in bundle: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let entries = json?["entry"] as? [[String: Any]] ?? []
        for entry in entries {
            guard let resource = entry["resource"] as? [String: Any],
                resource["resourceType"] as? String == "Patient",
                let names = resource["name"] as? [[String: Any]],
                let family = names.first?["family"] as? String
            else { continue }
            return family
        }
        throw FixtureError.missing
    }

    /// The TOTP secret of an `otpauth://` enrolment URI (RFC 4648 base32, no padding).
    static func secret(fromURI uri: String) throws -> TOTPSecret {
        guard let start = uri.range(of: "secret=")?.upperBound else { throw FixtureError.missing }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0
        var value = 0
        var bytes: [UInt8] = []
        for character in uri[start...].prefix(while: { $0 != "&" }) {
            guard let index = alphabet.firstIndex(of: character) else {
                throw FixtureError.missing
            }
            value = (value << 5 | index) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return TOTPSecret(bytes: SecureBytes(copying: bytes))
    }

    enum FixtureError: Error {
        case missing
    }
}
