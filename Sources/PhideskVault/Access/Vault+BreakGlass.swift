public import Foundation
import PhideskAudit
import PhideskCrypto
import PhideskPolicy
import PhideskStore

/// Coded reasons for emergency access; free text adds the detail.
public enum BreakGlassReason: String, Sendable, Codable, CaseIterable {
    case emergencyTreatment = "emergency-treatment"
    case patientSafety = "patient-safety"
    case continuityOfCare = "continuity-of-care"
    case legalRequirement = "legal-requirement"
}

/// One grant in the review queue, decrypted for the reviewer.
public struct BreakGlassGrant: Sendable, Codable, Equatable {
    public var grantID: String
    public var userID: String
    public var sessionID: String
    public var patientID: String?
    public var reason: BreakGlassReason
    public var note: String
    public var startedAt: Date
    public var expiresAt: Date
    public var endedAt: Date?
    public var reviewedAt: Date?
    public var reviewerID: String?
    public var reviewNote: String?
}

private struct SealedReason: Codable {
    var reason: BreakGlassReason
    var note: String
}

extension Vault {
    public static let defaultBreakGlassDuration: TimeInterval = 3600

    private static func grantAAD(_ grantID: [UInt8], _ purpose: String) -> [UInt8] {
        Array("phidesk.breakglass.\(purpose).v1".utf8) + grantID
    }

    /// Emergency access beyond the normal view (and to restricted patients) for at most
    /// `duration` (≤ 1 h). Needs `breakglass.start` and a recent authentication; raises an
    /// alert at once and joins the review queue. Every event in the window carries the
    /// grant id.
    public func startBreakGlass(
        patientID text: String?, reason: BreakGlassReason, note: String,
        duration: TimeInterval = Vault.defaultBreakGlassDuration
    ) throws -> BreakGlassState {
        let patientID = try text.map(Self.parsePatientID)
        try authorize(.breakGlassStart, action: .breakGlassStart)
        try requireRecentAuthentication(for: .breakGlassStart)
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw VaultError.invalidArgument("break-glass needs a written reason")
        }
        try Self.checkNoteLength(note)
        guard duration >= 60, duration <= Self.defaultBreakGlassDuration else {
            throw VaultError.invalidArgument("break-glass lasts 1 to 60 minutes")
        }
        if let patientID, try store.patient(patientID: patientID) == nil {
            throw VaultError.patientNotFound(id: patientID.hexString)
        }
        let context = try requireSession()
        let now = clock()
        let grantID = try SystemRandom.bytes(count: 16)
        let expires = now.addingTimeInterval(min(duration, Self.defaultBreakGlassDuration))
        let cipher = try dataCipher(patientID: nil)
        let sealed = try cipher.seal(
            Array(try JSONEncoder().encode(SealedReason(reason: reason, note: note))),
            authenticating: Self.grantAAD(grantID, "reason"))
        let state = BreakGlassState(
            grantID: grantID.hexString, patientID: patientID?.hexString, expiresAt: expires)

        access?.session.breakGlass = state
        try store.inTransaction {
            if let running = context.session.breakGlass, running.expiresAt > now {
                // One grant at a time: starting another ends the running one.
                try store.endBreakGlass(
                    grantID: try Self.parseID(running.grantID),
                    at: Int64(now.timeIntervalSince1970))
            }
            try store.insertBreakGlass(
                BreakGlassRow(
                    grantID: grantID, userID: try Self.parseID(context.session.userID),
                    sessionID: try Self.parseID(context.session.sessionID), patientID: patientID,
                    startedAt: Int64(now.timeIntervalSince1970),
                    expiresAt: Int64(expires.timeIntervalSince1970), sealedReason: sealed))
            try audit.append(
                try event(
                    .breakGlassStart, outcome: .success,
                    resourceType: patientID == nil ? nil : "Patient",
                    objectIDs: patientID.map { [$0.hexString] } ?? [],
                    reasonCode: reason.rawValue, severity: .alert))
            try refreshDirectory()
        }
        alertSink?.deliver(kind: "break-glass", userID: context.session.userID, at: now)
        return state
    }

    /// Ends the session's running grant early.
    public func endBreakGlass() throws {
        let context = try requireSession()
        try verifyDirectory()
        guard let grant = context.session.breakGlass else { throw VaultError.grantNotFound }
        let grantID = try Self.parseID(grant.grantID)
        try store.inTransaction {
            try store.endBreakGlass(grantID: grantID, at: Int64(clock().timeIntervalSince1970))
            try refreshDirectory()
            try audit.append(
                try event(.breakGlassEnd, outcome: .success, objectIDs: [grant.grantID]))
        }
        access?.session.breakGlass = nil
    }

    /// The review queue (or every grant), decrypted for an admin or auditor.
    public func breakGlassGrants(includeReviewed: Bool = false) throws -> [BreakGlassGrant] {
        try authorize(.breakGlassReview, action: .breakGlassReview)
        let cipher = try dataCipher(patientID: nil)
        let grants = try store.breakGlassGrants(unreviewedOnly: !includeReviewed).map { row in
            let reason = try JSONDecoder().decode(
                SealedReason.self,
                from: Data(
                    try cipher.open(
                        row.sealedReason, authenticating: Self.grantAAD(row.grantID, "reason")
                    ).unsafeCopyToArray()))
            var review: String?
            if let sealed = row.sealedReview {
                review = String(
                    decoding: try cipher.open(
                        sealed, authenticating: Self.grantAAD(row.grantID, "review")
                    ).unsafeCopyToArray(),
                    as: UTF8.self)
            }
            return BreakGlassGrant(
                grantID: row.grantID.hexString, userID: row.userID.hexString,
                sessionID: row.sessionID.hexString, patientID: row.patientID?.hexString,
                reason: reason.reason, note: reason.note,
                startedAt: Date(timeIntervalSince1970: TimeInterval(row.startedAt)),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(row.expiresAt)),
                endedAt: row.endedAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                reviewedAt: row.reviewedAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                reviewerID: row.reviewerID?.hexString, reviewNote: review)
        }
        try record(.breakGlassReview, outcome: .success, reasonCode: "listed", count: grants.count)
        return grants
    }

    /// The longest break-glass or review note, in UTF-8 bytes: a justification, not a
    /// document (the note is kept, sealed, for as long as the grant).
    public static let maxNoteBytes = 8192

    static func checkNoteLength(_ note: String) throws {
        guard note.utf8.count <= maxNoteBytes else {
            throw VaultError.invalidArgument("a note is at most \(maxNoteBytes) bytes")
        }
    }

    /// Closes a grant in the review queue with the reviewer's note.
    public func closeBreakGlassReview(grantID text: String, note: String) throws {
        try authorize(.breakGlassReview, action: .breakGlassReview)
        let context = try requireSession()
        let grantID = try Self.parseID(text)
        try Self.checkNoteLength(note)
        let grant = try store.breakGlassGrants(unreviewedOnly: true).first { $0.grantID == grantID }
        guard let grant else { throw VaultError.grantNotFound }
        guard grant.userID.hexString != context.session.userID else {
            throw VaultError.accessDenied(reason: "nobody reviews their own emergency access")
        }
        let cipher = try dataCipher(patientID: nil)
        let sealed = try cipher.seal(
            Array(note.utf8), authenticating: Self.grantAAD(grantID, "review"))
        try store.inTransaction {
            guard try store.reviewBreakGlass(
                grantID: grantID, reviewerID: try Self.parseID(context.session.userID),
                sealedReview: sealed, at: Int64(clock().timeIntervalSince1970))
            else {
                throw VaultError.grantNotFound
            }
            try audit.append(
                try event(.breakGlassReview, outcome: .success, objectIDs: [text],
                          reasonCode: "closed"))
            try refreshDirectory()
        }
    }

    /// Marks a patient restricted (VIP, staff): only break-glass opens the record.
    public func setRestricted(patientID text: String, _ restricted: Bool) throws {
        let patientID = try Self.parsePatientID(text)
        try authorize(.patientRestrict, action: .patientRestrict)
        guard try store.patient(patientID: patientID) != nil else {
            throw VaultError.patientNotFound(id: text)
        }
        try store.inTransaction {
            try store.setRestricted(patientID: patientID, restricted)
            try store.setMeta(Self.vaultManifestName, try computeVaultManifest())
            try refreshDirectory()
            try audit.append(
                try event(.patientRestrict, outcome: .success, resourceType: "Patient",
                          objectIDs: [text],
                          reasonCode: restricted ? "restricted" : "unrestricted"))
        }
    }
}
