import Foundation
import PhideskCrypto
import PhideskFHIR
import PhideskKeys
import PhideskPolicy
import PhideskSampleData
import Testing

@testable import PhideskVault

/// Finds the shared, read-only FHIR data beside the repository.
enum SharedData {
    static let root: URL = {
        guard let root = SampleDataLocation.root() else {
            fatalError("shared test data not found; set PHIDESK_SHARED_DATA")
        }
        return root
    }()

    static var synthea: URL { root.appendingPathComponent("fhir/synthea") }
    static var specExamples: URL { root.appendingPathComponent("fhir/spec-examples") }

    /// All JSON files in a folder, in name order (info bundles `0-…` first).
    static func files(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
            .map { folder.appendingPathComponent($0).path }
    }

    static func synthea(_ prefix: String) -> String {
        files(in: synthea).first { URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(prefix) }!
    }

    static func json(_ path: String) -> [String: Any] {
        let data = FileManager.default.contents(atPath: path)!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

nonisolated(unsafe) private var testRunRoot: String?

/// Throwaway vaults with cheap Argon2 parameters (the cost is a stored parameter, so the
/// code path is the same as in production), each with a signed-in test user.
enum TestVaults {
    static let passphrase = "correct horse battery staple"
    static let userPassword = "records officer unusual phrase"
    static let cheap = Argon2id.Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)

    /// The shipped roles plus `records`, a test-only role that sees every field of every
    /// type, so import and export can be compared byte for byte.
    static let policyJSON: [UInt8] = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(
            atPath: directory.appendingPathComponent("Package.swift").path)
        {
            directory.deleteLastPathComponent()
        }
        let shipped = directory.appendingPathComponent("Sources/PhideskPolicy/default-policy.json")
        var policy = try! JSONSerialization.jsonObject(
            with: Data(contentsOf: shipped)) as! [String: Any]
        var roles = policy["roles"] as! [String: Any]
        let types = [
            "AllergyIntolerance", "Basic", "CarePlan", "CareTeam", "Claim", "Composition",
            "Condition", "Coverage", "Device", "DiagnosticReport", "DocumentReference",
            "Encounter", "ExplanationOfBenefit", "Goal", "ImagingStudy", "Immunization",
            "Location", "Medication", "MedicationAdministration", "MedicationRequest",
            "MedicationStatement", "Observation", "Organization", "Patient", "Practitioner",
            "PractitionerRole", "Procedure", "Provenance", "ServiceRequest", "SupplyDelivery",
        ]
        roles["records"] = [
            "description": "Test only: every permission and a full view of every type.",
            "permissions": [
                "patient.search", "record.read", "record.import", "record.export",
                "breakglass.start", "breakglass.review", "user.manage", "role.manage",
                "audit.read", "key.manage", "patient.restrict",
            ],
            "resources": Dictionary(uniqueKeysWithValues: types.map { ($0, ["view": "full"]) }),
        ]
        policy["roles"] = roles
        return Array(try! JSONSerialization.data(withJSONObject: policy))
    }()

    static let policy: AccessPolicy = try! AccessPolicy.load(policyJSON)

    /// The policy written to a file, for the command-line binary (`PHIDESK_POLICY`).
    static let policyFile: String = {
        let path = runRoot + "/test-policy.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(policyJSON))
        return path
    }()

    static func provider(_ text: String = passphrase) -> PassphraseKeyProvider {
        PassphraseKeyProvider(passphrase: SecureBytes(copying: Array(text.utf8)), parameters: cheap)
    }

    /// One private (0700) folder per test run, removed when the run exits, so test
    /// vaults, passphrase files and exports never linger or become readable to others.
    static let runRoot: String = {
        let path = NSTemporaryDirectory() + "phidesk-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        testRunRoot = path
        atexit {
            if let root = testRunRoot {
                try? FileManager.default.removeItem(atPath: root)
            }
            TestVaults.removeSessionKeys()
        }
        return path
    }()

    private static let sessionLock = NSLock()
    nonisolated(unsafe) private static var sessionKeyNames: [String] = []

    /// Saves a CLI session for the binary to use, and remembers its kernel key so the run
    /// removes it at exit (the user keyring has a small quota).
    static func saveCommandLineSession(_ vault: Vault, environment: [String: String]) throws {
        _ = runRoot
        try CommandLineSession.save(vault, environment: environment)
        sessionLock.lock()
        sessionKeyNames.append(CommandLineSession.keyName(vaultID: vault.vaultID))
        sessionLock.unlock()
    }

    static func removeSessionKeys() {
        sessionLock.lock()
        defer { sessionLock.unlock() }
        for name in sessionKeyNames {
            KernelKeyring.remove(name: name)
        }
        sessionKeyNames.removeAll()
    }

    static func temporaryDirectory() -> String {
        let path = runRoot + "/" + UUID().uuidString
        try! FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return path
    }

    /// A new vault whose first user is `login` with `role`, signed in.
    static func create(
        login: String = "tester", role: String = "records", at location: VaultLocation? = nil
    ) throws -> Vault {
        let location = location ?? VaultLocation(directory: temporaryDirectory() + "/vault")
        let installer = try Vault.create(at: location, keyProvider: provider(), actor: "tester")
        try installer.store.setMeta(
            Vault.Meta.slotParameters, Array(try JSONEncoder().encode(cheap)))
        _ = try installer.addUser(
            NewUser(loginName: login, displayName: "Test User", roles: [role],
                    password: SecureBytes(copying: Array(userPassword.utf8))),
            policy: policy)
        installer.close()
        return try signIn(location, login: login)
    }

    /// Signs the test user in again (a fresh session, as every test should have).
    static func open(_ location: VaultLocation) throws -> Vault {
        try signIn(location)
    }

    /// Each sign-in uses a later TOTP time step than the last, so codes are never replays.
    static func signIn(
        _ location: VaultLocation, login: String = "tester",
        password: String = userPassword
    ) throws -> Vault {
        // Serialised: parallel tests signing in the same user must use their time steps
        // in order, or the later step would make the earlier one a replay.
        SignInClock.lock.lock()
        defer { SignInClock.lock.unlock() }
        let now = SignInClock.next()
        return try Vault.signIn(
            at: location, loginName: login, password: SecureBytes(copying: Array(password.utf8)),
            secondFactor: .totp(try totpCode(location, login: login, at: now)), policy: policy,
            actor: "tester", now: now)
    }

    /// The user's current code, read with the installation key (as a test harness may).
    static func totpCode(_ location: VaultLocation, login: String, at time: Date) throws
        -> String
    {
        let installer = try Vault.open(at: location, keyProvider: provider(), actor: "tester")
        defer { installer.close() }
        return try installer.user(loginName: login).totpSecret().code(at: time)
    }

    /// One vault with every shared file imported, built once and shared by read-only tests.
    static let everything: VaultLocation = {
        let vault = try! create()
        _ = try! vault.importFiles(SharedData.files(in: SharedData.synthea))
        _ = try! vault.importFiles(SharedData.files(in: SharedData.specExamples))
        let location = vault.location
        vault.close()
        return location
    }()
}

/// Sign-in times for tests: strictly increasing across the whole run, an hour apart, so
/// a test that moves its own clock forward (up to an hour) and uses a code there never
/// makes a later sign-in's code look like a replay.
enum SignInClock {
    /// Held across a whole test sign-in (recursive: `next()` takes it too).
    static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var steps = 0
    private static let start = Date()

    static func next() -> Date {
        lock.lock()
        defer { lock.unlock() }
        steps += 1
        return start.addingTimeInterval(TimeInterval(steps * 3600))
    }
}

/// Values that must never appear on disk or in messages: every shared patient's names,
/// birth dates and identifier values.
enum Canaries {
    static let values: [String] = {
        var values = Set<String>()
        let files = SharedData.files(in: SharedData.synthea)
            + SharedData.files(in: SharedData.specExamples)
        for file in files {
            let root = SharedData.json(file)
            var resources: [[String: Any]] = []
            if let entries = root["entry"] as? [[String: Any]] {
                resources = entries.compactMap { $0["resource"] as? [String: Any] }
            } else {
                resources = [root]
            }
            for patient in resources where patient["resourceType"] as? String == "Patient" {
                for name in patient["name"] as? [[String: Any]] ?? [] {
                    if let family = name["family"] as? String { values.insert(family) }
                    for given in name["given"] as? [String] ?? [] { values.insert(given) }
                    if let text = name["text"] as? String { values.insert(text) }
                }
                if let birthDate = patient["birthDate"] as? String { values.insert(birthDate) }
                for identifier in patient["identifier"] as? [[String: Any]] ?? [] {
                    if let value = identifier["value"] as? String { values.insert(value) }
                }
            }
        }
        // Very short values (initials, "Jim") could occur by chance in random bytes.
        return values.filter { $0.utf8.count >= 5 }.sorted()
    }()

    /// The canaries found in `bytes` (empty when clean).
    static func found(in bytes: [UInt8]) -> [String] {
        let haystack = Data(bytes)
        return values.filter { haystack.range(of: Data($0.utf8)) != nil }
    }
}
