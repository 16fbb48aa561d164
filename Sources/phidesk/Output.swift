import Foundation
import PhideskAudit
import PhideskVault

#if canImport(Glibc)
import Glibc
#endif

/// Plain-text renderings for the terminal. JSON output uses the Codable types directly.
enum Output {
    static func importSummary(_ report: ImportReport) -> String {
        var lines = [
            "imported \(report.files) file(s): \(report.created) new, \(report.updated) "
                + "updated, \(report.unchanged) unchanged resource(s); "
                + "\(report.newPatients) new patient(s)",
            "unresolved references kept as written: \(report.unresolvedReferences)",
        ]
        if report.skippedEntries > 0 {
            lines.append("entries without a resource skipped: \(report.skippedEntries)")
        }
        if report.flaggedModifierExtensions > 0 {
            lines.append(
                "flagged (modifierExtension not understood): \(report.flaggedModifierExtensions)")
        }
        lines.append("resources by type:")
        for (type, count) in report.resourcesByType.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(type.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)")
        }
        return lines.joined(separator: "\n")
    }

    static func searchTable(_ matches: [PatientMatch]) -> String {
        guard !matches.isEmpty else { return "no matching patients\n" }
        var text = ""
        for match in matches {
            let name = TerminalOutput.singleLine(match.displayName)
                .padding(toLength: 32, withPad: " ", startingAt: 0)
            text += "\(match.patientID)  \(name)  "
                + TerminalOutput.singleLine(match.birthDate ?? "----------") + "  "
                + TerminalOutput.singleLine(match.gender ?? "")
                + (match.deceased.map { "  deceased " + TerminalOutput.singleLine($0) } ?? "")
                + "\n"
        }
        return text
    }

    static func auditTable(_ events: [AuditEvent]) -> String {
        var text = ""
        for event in events {
            var fields = [
                String(event.sequence), event.wallTime.description, event.actor,
                event.action.rawValue, event.outcome.rawValue,
            ]
            if let user = event.userID { fields.append("user=\(user)") }
            if let role = event.role { fields.append("role=\(role)") }
            if let session = event.sessionID { fields.append("session=\(session)") }
            if let grant = event.breakGlassGrant { fields.append("BREAK-GLASS=\(grant)") }
            if let type = event.resourceType { fields.append("type=\(type)") }
            if !event.objectIDs.isEmpty {
                fields.append("ids=\(event.objectIDs.joined(separator: ","))")
            }
            if let count = event.count { fields.append("count=\(count)") }
            if let reason = event.reasonCode { fields.append("reason=\(reason)") }
            if event.severity == .alert { fields.append("ALERT") }
            if event.recordedUnauthenticated { fields.append("spooled") }
            text += fields.joined(separator: "  ") + "\n"
        }
        return text
    }

    static func verificationLine(_ verification: AuditVerification) -> String {
        switch verification {
        case .intact(let count):
            return "audit trail intact: \(count) event(s)"
        case .broken(let sequence, let problem):
            return "audit trail BROKEN at sequence \(sequence): \(problem)"
        }
    }

    struct VerificationJSON: Encodable {
        var intact: Bool
        var count: UInt64?
        var firstBadSequence: UInt64?
        var problem: String?

        init(_ verification: AuditVerification) {
            switch verification {
            case .intact(let count):
                intact = true
                self.count = count
            case .broken(let sequence, let problem):
                intact = false
                firstBadSequence = sequence
                self.problem = "\(problem)"
            }
        }
    }

    static func checkSummary(_ report: VaultCheckReport) -> String {
        var lines = [
            "storage: " + (report.storageProblems.isEmpty
                ? "ok" : report.storageProblems.joined(separator: "; ")),
            "records: \(report.recordsChecked) checked, \(report.damagedRecords.count) damaged",
            "patients: \(report.patients)",
            verificationLine(report.audit),
        ]
        for record in report.damagedRecords {
            lines.append("damaged record: \(record)")
        }
        lines.append(report.isHealthy ? "vault OK" : "vault has PROBLEMS")
        return lines.joined(separator: "\n")
    }

    struct CheckJSON: Encodable {
        var healthy: Bool
        var storageProblems: [String]
        var patients: Int
        var recordsChecked: Int
        var damagedRecords: [String]
        var audit: VerificationJSON

        init(_ report: VaultCheckReport) {
            healthy = report.isHealthy
            storageProblems = report.storageProblems
            patients = report.patients
            recordsChecked = report.recordsChecked
            damagedRecords = report.damagedRecords
            audit = VerificationJSON(report.audit)
        }
    }

}
