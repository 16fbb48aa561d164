import Foundation
import Testing

@testable import PhideskVault

/// No patient name, birth date or identifier in any byte the vault writes, or in the
/// CLI's messages.
@Suite("No plaintext PHI on disk or in messages")
struct CanaryTests {
    @Test func canariesAreRealValues() {
        // Guards the guard: the scan is only meaningful if it looks for the right things.
        #expect(Canaries.values.contains("Mejía"))
        #expect(Canaries.values.contains("O'Hara248"))
        #expect(Canaries.values.contains("1986-11-27"))
        #expect(Canaries.values.count > 40)
        #expect(Canaries.found(in: Array("x Mejía y".utf8)) == ["Mejía"])
    }

    @Test func vaultFilesHoldNoPlaintextPHI() throws {
        let location = TestVaults.everything
        let vault = try TestVaults.open(location)
        // Exercise reads too, so their audit events are on disk when scanned.
        for match in try vault.search(PatientQuery(name: "mejia")) {
            _ = try vault.chart(patientID: match.patientID)
            _ = try vault.export(patientID: match.patientID)
        }
        _ = try vault.search(PatientQuery(family: "o'hara", birthDate: "2021-04-03"))
        vault.close()

        let files = try FileManager.default.contentsOfDirectory(atPath: location.directory)
        #expect(files.contains("vault.sqlite"))
        #expect(files.contains("vault.sqlite-wal"))
        var scanned = 0
        for name in files {
            let bytes = Array(FileManager.default.contents(
                atPath: location.directory + "/" + name) ?? Data())
            scanned += bytes.count
            #expect(Canaries.found(in: bytes).isEmpty, "\(name) contains plaintext PHI")
        }
        #expect(scanned > 1_000_000)
    }

    @Test func auditTrailHoldsNoSearchTermsOrNames() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }
        _ = try vault.search(PatientQuery(family: "Mejía", birthDate: "1986-11-27"))
        var trail: [UInt8] = []
        try vault.store.forEachAuditRecord { _, body, _ in trail += body }
        #expect(Canaries.found(in: trail).isEmpty)
        #expect(!String(decoding: trail, as: UTF8.self).lowercased().contains("mejia"))
    }

    @Test func vaultDirectoryIsPrivate() throws {
        let attributes = try FileManager.default.attributesOfItem(
            atPath: TestVaults.everything.directory)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let database = try FileManager.default.attributesOfItem(
            atPath: TestVaults.everything.databasePath)
        #expect((database[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
