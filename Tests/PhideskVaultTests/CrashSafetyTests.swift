import Foundation
import PhideskFHIR
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import PhideskVault

/// `kill -9` during an import never leaves a half-stored bundle or a broken audit trail.
@Suite("Crash safety")
struct CrashSafetyTests {
    /// Bundles imported in each trial, and the (type, id) of every resource in each.
    static let bundles: [(path: String, keys: [(String, String)])] = {
        ["6c8f3e83", "e2053282", "Adán", "8a4c9c04"].map { prefix in
            let path = SharedData.synthea(prefix)
            let input = try! FHIRInput.decode(try! Vault.readFile(path))
            return (path, input.entries.map { ($0.resource.resourceType, $0.resource.id!) })
        }
    }()

    /// Trials per run; `PHIDESK_CRASH_TRIALS` raises it for a long run.
    static let trials = Int(ProcessInfo.processInfo.environment["PHIDESK_CRASH_TRIALS"] ?? "") ?? 24

    @Test func killDuringImportLeavesEachBundleWhollyPresentOrAbsent() throws {
        var generator = SystemRandomNumberGenerator()
        var outcomes: [Int: Int] = [:]

        for trial in 0..<Self.trials {
            let (environment, directory) = CommandLineTests.environment()
            let location = VaultLocation(directory: directory + "/vault")
            let vault = try TestVaults.create(at: location)
            try TestVaults.saveCommandLineSession(vault, environment: environment)
            vault.close()

            let process = PhideskProcess.makeProcess(
                ["import"] + Self.bundles.map(\.path), environment: environment)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Spread kills over the whole import, including before the first commit.
            let delay = UInt32.random(in: 0...(120_000 + UInt32(trial) * 40_000), using: &generator)
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let reopened = try TestVaults.open(location)
            defer { reopened.close() }
            #expect(try reopened.audit.verify().isIntact, "trial \(trial): audit chain broken")
            #expect(try reopened.check().storageProblems.isEmpty)

            var whole = 0
            for bundle in Self.bundles {
                let present = try bundle.keys.filter {
                    try reopened.containsResource(type: $0.0, id: $0.1)
                }.count
                #expect(
                    present == 0 || present == bundle.keys.count,
                    "trial \(trial): \(present) of \(bundle.keys.count) resources present")
                if present == bundle.keys.count { whole += 1 }
            }
            outcomes[whole, default: 0] += 1
        }
        // The kills must have landed at different stages for the test to mean anything.
        #expect(outcomes.count >= 2, "all kills landed at the same stage: \(outcomes)")
    }
}
