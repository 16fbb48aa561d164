import Foundation
import PhideskAudit
import PhideskStore
import Testing

@testable import PhideskVault

/// Tampering with the database is detected and named; undamaged records still read.
@Suite("Tamper evidence")
struct TamperTests {
    /// A closed vault with one patient imported and a few more audit events.
    static func makeVault() throws -> VaultLocation {
        let vault = try TestVaults.create()
        _ = try vault.importFiles([SharedData.synthea("6c8f3e83")])
        for _ in 0..<6 {
            _ = try vault.search(PatientQuery(family: "bartell"))
        }
        let location = vault.location
        vault.close()
        return location
    }

    /// Edits the raw database behind the vault's back, as an attacker with file access would.
    static func tamper(_ location: VaultLocation, _ sql: String) throws {
        let database = try SQLiteDatabase(path: location.databasePath, create: false)
        // An attacker's own SQLite client need not enforce foreign keys.
        try database.execute("PRAGMA foreign_keys=OFF")
        try database.execute(sql)
    }

    static func verify(_ location: VaultLocation) throws -> AuditVerification {
        let vault = try TestVaults.open(location)
        defer { vault.close() }
        // Verify what was on disk before this open appended its own event.
        return try vault.verifyAudit()
    }

    struct AuditCase: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        /// The first bad sequence expected, given the intact chain's event count.
        let firstBad: @Sendable (UInt64) -> UInt64
        var testDescription: String { name }
    }

    static let auditCases: [AuditCase] = [
        AuditCase(
            name: "modified event",
            sql: "UPDATE audit_events SET body = body || X'20' WHERE sequence = 4",
            firstBad: { _ in 4 }),
        AuditCase(
            name: "deleted event",
            sql: "DELETE FROM audit_events WHERE sequence = 3",
            firstBad: { _ in 3 }),
        AuditCase(
            name: "inserted event",
            sql: "UPDATE audit_events SET sequence = sequence + 100 WHERE sequence >= 5; "
                + "UPDATE audit_events SET sequence = sequence - 99 WHERE sequence >= 105; "
                + "INSERT INTO audit_events SELECT 5, body, mac FROM audit_events "
                + "WHERE sequence = 2",
            firstBad: { _ in 5 }),
        AuditCase(
            name: "reordered events",
            sql: "UPDATE audit_events SET sequence = -1 WHERE sequence = 4; "
                + "UPDATE audit_events SET sequence = 4 WHERE sequence = 5; "
                + "UPDATE audit_events SET sequence = 5 WHERE sequence = -1",
            firstBad: { _ in 4 }),
        AuditCase(
            name: "truncated trail (names the first missing event)",
            sql: "DELETE FROM audit_events WHERE sequence > "
                + "(SELECT max(sequence) - 3 FROM audit_events)",
            firstBad: { count in count - 2 }),
        AuditCase(
            name: "forged head",
            sql: "UPDATE audit_head SET head_mac = zeroblob(32)",
            firstBad: { count in count + 1 }),
        AuditCase(
            name: "wiped trail",
            sql: "DELETE FROM audit_events; DELETE FROM audit_head",
            firstBad: { _ in 1 }),
    ]

    @Test(arguments: auditCases)
    func auditManipulationIsDetected(_ auditCase: AuditCase) throws {
        let location = try Self.makeVault()
        let total = try TestVaults.open(location).audit.verify()
        guard case .intact(let count) = total else {
            Issue.record("fresh chain not intact")
            return
        }

        try Self.tamper(location, auditCase.sql)
        let verification = try Self.verify(location)

        guard case .broken(let firstBad, _) = verification else {
            Issue.record("\(auditCase.name) was not detected")
            return
        }
        #expect(firstBad == auditCase.firstBad(count))
    }

    @Test func phiOperationsAreRefusedOnceTheTrailCannotBeExtended() throws {
        let location = try Self.makeVault()
        try Self.tamper(location, "DELETE FROM audit_events; DELETE FROM audit_head")

        let vault = try TestVaults.open(location)
        defer { vault.close() }
        #expect(throws: VaultError.auditTrailDamaged) {
            _ = try vault.search(PatientQuery(family: "bartell"))
        }
        #expect(throws: VaultError.auditTrailDamaged) {
            _ = try vault.importFiles([SharedData.synthea("8a4c9c04")])
        }
        #expect(
            try !vault.containsResource(
                type: "Patient", id: "8a4c9c04-1524-9f1c-d65b-9b17e4520fef"))
    }

    @Test func flippedCiphertextByteNamesThatRecordAndOthersStillRead() throws {
        let location = try Self.makeVault()
        let database = try SQLiteDatabase(path: location.databasePath, create: false)
        let pick = try database.statement(
            "SELECT record_id FROM resources WHERE patient_id IS NOT NULL LIMIT 1 OFFSET 5")
        #expect(try pick.step())
        let victim = pick.blob(0)
        pick.reset()
        try Self.flipByte(database: database, recordID: victim, offset: 40)

        let vault = try TestVaults.open(location)
        defer { vault.close() }
        let patientID = try #require(vault.search(PatientQuery(family: "bartell")).first?.patientID)

        let (chart, damaged) = try vault.chart(patientID: patientID)
        #expect(damaged == [victim.hexString])
        #expect(chart.totalResources == 134 - 1)

        #expect(throws: VaultError.integrityFailure(recordID: victim.hexString)) {
            _ = try vault.export(patientID: patientID)
        }
        let check = try vault.check()
        #expect(check.damagedRecords == [victim.hexString])
        #expect(!check.isHealthy)
    }

    @Test func ciphertextMovedToAnotherRowFails() throws {
        let location = try Self.makeVault()
        let database = try SQLiteDatabase(path: location.databasePath, create: false)
        let rows = try database.statement(
            "SELECT record_id, sealed FROM resources WHERE patient_id IS NOT NULL LIMIT 2")
        #expect(try rows.step())
        let first = rows.blob(0)
        #expect(try rows.step())
        let secondSealed = rows.blob(1)
        rows.reset()
        let move = try database.statement("UPDATE resources SET sealed = ? WHERE record_id = ?")
        try move.bind(1, secondSealed).bind(2, first)
        try move.run()

        let vault = try TestVaults.open(location)
        defer { vault.close() }
        let check = try vault.check()
        #expect(check.damagedRecords == [first.hexString])
    }

    @Test func deletedRecordAndRedirectedSearchTokensAreFoundByCheck() throws {
        let location = try Self.makeVault()
        let other = try TestVaults.open(location)
        _ = try other.importFiles([SharedData.synthea("8a4c9c04")])
        other.close()

        try Self.tamper(
            location,
            "DELETE FROM resources WHERE record_id = (SELECT record_id FROM resources "
                + "WHERE patient_id IS NOT NULL ORDER BY record_id LIMIT 1)")
        let vault = try TestVaults.open(location)
        defer { vault.close() }
        var check = try vault.check()
        #expect(!check.isHealthy)
        // The patient whose record vanished fails its manifest.
        #expect(check.damagedRecords.count == 1)

        try Self.tamper(
            location,
            "UPDATE search_tokens SET patient_id = (SELECT min(patient_id) FROM patients) "
                + "WHERE patient_id = (SELECT max(patient_id) FROM patients)")
        check = try vault.check()
        #expect(check.damagedRecords.count >= 2, "tokens now disagree with the Patient resource")
    }

    static func flipByte(database: SQLiteDatabase, recordID: [UInt8], offset: Int) throws {
        let read = try database.statement("SELECT sealed FROM resources WHERE record_id = ?")
        try read.bind(1, recordID)
        #expect(try read.step())
        var sealed = read.blob(0)
        read.reset()
        sealed[offset] ^= 0x01
        let write = try database.statement("UPDATE resources SET sealed = ? WHERE record_id = ?")
        try write.bind(1, sealed).bind(2, recordID)
        try write.run()
    }
}
