public import PhideskAudit
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
        report.audit = try audit.verify()

        try? record(
            .vaultCheck, outcome: report.isHealthy ? .success : .failure,
            reasonCode: report.isHealthy ? nil : "integrity-error",
            count: report.recordsChecked,
            severity: report.isHealthy ? .info : .alert)
        return report
    }

    /// Verifies the audit chain; the verification itself is then audited.
    public func verifyAudit() throws -> AuditVerification {
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
        let events = try audit.tail(count: count)
        try record(.auditTail, outcome: .success, count: events.count)
        return events
    }
}
