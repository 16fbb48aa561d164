import Foundation
import PhideskAudit
import PhideskCrypto
public import PhideskPolicy

/// The signed-in user's session and the role it acts in, as the data layer sees them.
public struct AccessContext: Sendable {
    public var session: Session
    public let role: Role
}

extension Vault {
    /// The session, refusing when nobody is signed in or the session has ended.
    func requireSession() throws -> AccessContext {
        guard let access else { throw VaultError.notSignedIn }
        if let end = access.session.expiry(at: clock()) {
            lock(because: end)
            throw VaultError.sessionEnded(end)
        }
        return access
    }

    /// Ends the session: records why, then wipes the master key, every unwrapped data key
    /// and the session itself. Nothing decrypted is cached beyond a single call, so the
    /// keys are all there is to wipe.
    public func lock(because reason: SessionEnd = .locked) {
        guard access != nil else { return }
        try? record(.sessionLock, outcome: .success, reasonCode: reason.rawValue)
        access = nil
        keyring.lock()
    }

    /// Marks activity now (the desktop shell calls this on input); the CLI does it per
    /// command.
    public func touch() {
        access?.session.lastActivity = clock()
    }

    /// Checks a permission for the signed-in role; a refusal is audited (and repeated
    /// refusals raise an alert) before it is thrown.
    @discardableResult
    func authorize(
        _ permission: Permission, patientID: [UInt8]? = nil, action: AuditAction
    ) throws -> AccessContext {
        let context = try requireSession()
        // Access decisions rest on the user, grant and restriction tables: check first
        // that nobody put back or removed rows behind the vault's back.
        try verifyDirectory()
        guard context.role.permits(permission) else {
            try deny(action, patientID: patientID, reason: "permission-denied")
        }
        if let patientID, try store.isRestricted(patientID: patientID) {
            let grant = context.session.activeBreakGlass(at: clock())
            let covers = grant.map { $0.patientID == nil || $0.patientID == patientID.hexString }
            guard covers == true else {
                try deny(action, patientID: patientID, reason: "restricted-patient")
            }
        }
        return context
    }

    /// Passes when the role has any of `permissions`.
    func authorizeAny(_ permissions: [Permission], action: AuditAction) throws {
        let context = try requireSession()
        if !permissions.contains(where: context.role.permits) {
            try authorize(permissions[0], action: action)
        }
    }

    /// Writing to a restricted patient's record (an import touching it) needs a running
    /// break-glass grant for that patient, exactly like reading it.
    func requireWriteAccess(to patientIDs: Set<[UInt8]>, action: AuditAction) throws {
        let restricted = try store.restrictedPatients()
        // Runs inside the import's transaction, which the refusal rolls back; the import's
        // own failure event (outside it) records the reason.
        for patientID in patientIDs where restricted.contains(patientID) {
            if !breakGlassCovers(patientID) {
                throw VaultError.accessDenied(reason: "restricted-patient")
            }
        }
    }

    /// Sensitive actions (export, break-glass, user and key changes) need a sign-in or
    /// re-authentication within the last five minutes.
    func requireRecentAuthentication(for action: AuditAction) throws {
        let context = try requireSession()
        guard context.session.isRecentlyAuthenticated(at: clock()) else {
            try record(action, outcome: .denied, reasonCode: "reauthentication-required")
            throw VaultError.reauthenticationRequired
        }
    }

    private func deny(_ action: AuditAction, patientID: [UInt8]?, reason: String) throws -> Never {
        try record(
            action, outcome: .denied, resourceType: patientID == nil ? nil : "Patient",
            objectIDs: patientID.map { [$0.hexString] } ?? [], reasonCode: reason)
        // Counted from the trail, so denials across separate commands (each CLI command
        // is its own process) add up: the alert fires when a user reaches the threshold
        // within the sign-in window.
        if try recentDenials() == SignInLimits.deniedAccessAlertThreshold {
            try raiseAlert("repeated-denied-access")
        }
        throw VaultError.accessDenied(reason: reason)
    }

    /// Denied requests by the signed-in user in the last 15 minutes of the trail.
    private func recentDenials() throws -> Int {
        guard let userID = access?.session.userID else { return 0 }
        // Trail times are wall-clock readings, so the window is measured on that clock.
        let since = Date().addingTimeInterval(-TimeInterval(SignInLimits.window))
        let sinceMilliseconds = Int64(since.timeIntervalSince1970 * 1000)
        return try audit.tail(count: 200).filter {
            $0.userID == userID && $0.outcome == .denied
                && $0.wallTime.millisecondsSinceEpoch >= sinceMilliseconds
        }.count
    }

    /// Records an alert event and hands it to the alert sink.
    func raiseAlert(_ kind: String) throws {
        try record(.alert, outcome: .failure, reasonCode: kind, severity: .alert)
        alertSink?.deliver(kind: kind, userID: access?.session.userID, at: clock())
    }

    /// Whether the session is under a running break-glass grant covering `patientID`.
    func breakGlassCovers(_ patientID: [UInt8]) -> Bool {
        guard let grant = access?.session.activeBreakGlass(at: clock()) else { return false }
        return grant.patientID == nil || grant.patientID == patientID.hexString
    }
}

extension Role {
    /// Whether the role's view of `type` includes the top-level element `element`.
    func shows(_ element: String, of type: String, breakGlass: Bool = false) -> Bool {
        switch view(of: type, breakGlass: breakGlass) {
        case .full?: return true
        case .include(let paths)?: return paths.contains(element)
        case .exclude(let paths)?: return !paths.contains(element)
        case nil: return false
        }
    }

    /// Whether the view includes every form of the choice element `base[x]` (listed as
    /// `base[x]`, or form by form such as `deceasedDateTime`).
    func showsChoice(
        _ base: String, types: [String], of type: String, breakGlass: Bool = false
    ) -> Bool {
        let forms = types.map { base + $0 }
        switch view(of: type, breakGlass: breakGlass) {
        case .full?: return true
        case .include(let paths)?:
            return paths.contains(base + "[x]") || forms.allSatisfy(paths.contains)
        case .exclude(let paths)?:
            return !paths.contains(base + "[x]") && !forms.contains(where: paths.contains)
        case nil: return false
        }
    }
}
