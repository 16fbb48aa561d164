public import PhideskAudit
import PhideskFHIR
import PhideskCrypto
import PhideskStore

/// The outcome of `phidesk vault check`, in counts and opaque ids only.
public struct VaultCheckReport: Sendable {
    /// Problems reported by SQLite's integrity and foreign-key checks.
    public var storageProblems: [String] = []
    public var patients = 0
    public var recordsChecked = 0
    /// Opaque ids of records that failed authentication.
    public var damagedRecords: [String] = []
    public var audit: AuditVerification = .intact(count: 0)

    public var isHealthy: Bool {
        storageProblems.isEmpty && damagedRecords.isEmpty && audit.isIntact
    }
}

extension Vault {
    /// Checks the database pages, opens (authenticates) every record and summary, and
    /// verifies the audit chain. Read-only apart from its own audit event.
    public func check() throws -> VaultCheckReport {
        try authorizeAny([.keyManage, .auditRead], action: .vaultCheck)
        var report = VaultCheckReport()
        report.storageProblems = try store.integrityProblems()
        report.patients = try store.patientCount()

        try store.forEachResource { row in
            report.recordsChecked += 1
            do {
                _ = try openRecord(row)
            } catch {
                report.damagedRecords.append(row.recordID.hexString)
            }
        }
        report.damagedRecords += try patientProblems()
        report.damagedRecords += try manifestProblems()
        do {
            try verifyDirectory()
        } catch {
            report.storageProblems.append(
                "the user, key-slot, break-glass or restriction tables were changed outside "
                    + "phidesk (directory manifest mismatch)")
        }
        report.audit = try audit.verify()

        try? record(
            .vaultCheck, outcome: report.isHealthy ? .success : .failure,
            reasonCode: report.isHealthy ? nil : "integrity-error",
            count: report.recordsChecked,
            severity: report.isHealthy ? .info : .alert)
        return report
    }

    /// Patients whose sealed summary does not open, or whose search tokens differ from
    /// those their stored Patient resource produces (a redirected or deleted index entry).
    private func patientProblems() throws -> [String] {
        var problems: [String] = []
        for patient in try store.allPatients() {
            let id = patient.patientID
            do {
                let cipher = try dataCipher(patientID: id)
                _ = try PatientSummary.open(patient.summary, with: cipher, for: id)
                var expected = Set<[UInt8]>()
                try store.forEachResource(patientID: id) { row in
                    // Records that fail to open are reported on their own above.
                    guard let plaintext = try? openRecord(row),
                        let stored = plaintext.withUnsafeBytes({ StoredRecord(decoding: $0) }),
                        stored.resourceType == "Patient"
                    else { return }
                    let demographics = try PatientDemographics(
                        resource: try FHIRResource(bytes: stored.resource))
                    expected = try searchTokens(for: demographics)
                }
                if try store.searchTokens(patientID: id) != expected {
                    problems.append(id.hexString)
                }
            } catch {
                problems.append(id.hexString)
            }
        }
        return problems
    }

    /// Verifies the audit chain; the verification itself is then audited.
    public func verifyAudit() throws -> AuditVerification {
        try authorize(.auditRead, action: .auditVerify)
        let verification = try audit.verify()
        do {
            try record(
                .auditVerify, outcome: verification.isIntact ? .success : .failure,
                reasonCode: verification.isIntact ? nil : "audit-chain-broken",
                severity: verification.isIntact ? .info : .alert)
        } catch VaultError.auditTrailDamaged {
            // Reporting the damage matters more than recording that we looked.
        }
        return verification
    }

    /// The last `count` audit events, oldest first (read before this read is audited).
    public func auditTail(count: Int) throws -> [AuditEvent] {
        try authorize(.auditRead, action: .auditTail)
        let events = try audit.tail(count: count)
        try record(.auditTail, outcome: .success, count: events.count)
        return events
    }
}
