public import Foundation
import PhideskAudit
import PhideskAuth
public import PhideskCrypto
import PhideskKeys
public import PhideskPolicy
import PhideskStore

/// The second factor offered at sign-in or re-authentication.
public enum SecondFactor: Sendable {
    case totp(String)
    case recoveryCode(String)
}

/// Sign-in failure policy: 5 failures within 15 minutes lock the login name; each further
/// lock doubles (15 min, 30 min, 1 h …, at most 24 h). Machine-wide failures raise an alert.
enum SignInLimits {
    static let window: Int64 = 15 * 60
    static let failuresBeforeLock: Int64 = 5
    static let firstLock: Int64 = 15 * 60
    static let longestLock: Int64 = 24 * 3600
    static let machineAlertThreshold: Int64 = 20
    static let deniedAccessAlertThreshold = 5
}

extension Vault {
    /// The keyed-free lookup of a login name: SHA-256 over a per-vault salt and the
    /// case-folded name. It must work before any key exists, so it is not a secret; the
    /// salt only stops one precomputed table serving every vault.
    static func loginLookup(_ loginName: String, salt: [UInt8]) throws -> [UInt8] {
        let folded = loginName.trimmingCharacters(in: .whitespaces).lowercased()
        return try SHA256.digest(Array("phidesk.login.v1".utf8) + [0] + salt + Array(folded.utf8))
    }

    static let machineLookupLabel = Array("phidesk.login.machine".utf8)

    /// Signs a user in: password (unwraps their key slot) and second factor.
    ///
    /// An unknown login name and a wrong password fail with the same error after the same
    /// Argon2id work, so the answer does not reveal which accounts exist.
    public static func signIn(
        at location: VaultLocation, loginName: String, password: SecureBytes,
        secondFactor: SecondFactor, policy: AccessPolicy, actor: String,
        preferredRole: String? = nil, alertSink: AlertSink? = nil, now: Date = Date()
    ) throws -> Vault {
        let (store, meta) = try openStore(location)
        let salt = try store.meta(Meta.loginSalt) ?? []
        let lookup = try loginLookup(loginName, salt: salt)
        let machine = try SHA256.digest(machineLookupLabel + salt)
        let seconds = Int64(now.timeIntervalSince1970)

        if let failures = try store.loginFailures(lookup: lookup), failures.lockedUntil > seconds {
            try spool(
                try AuditEvent(
                    action: .signIn, outcome: .denied, actor: actor, reasonCode: "account-locked"),
                at: location)
            throw VaultError.accountLocked(
                until: Date(timeIntervalSince1970: TimeInterval(failures.lockedUntil)))
        }

        let slot = try store.keySlot(lookup: lookup)
        let parameters = try slotParameters(store)
        let masterKey: SymmetricKey
        do {
            guard let slot else {
                // Same cost as a real slot, so timing does not reveal unknown names.
                _ = try? Argon2id.derive(
                    passphrase: password, salt: try SystemRandom.bytes(count: 16),
                    parameters: parameters)
                throw KeyError.wrongPassphrase
            }
            masterKey = try PassphraseKeyProvider(passphrase: password, parameters: parameters)
                .unlock(enrolment: slot.enrolment)
        } catch KeyError.wrongPassphrase {
            try recordSignInFailure(
                store: store, location: location, lookup: lookup, machine: machine,
                userID: slot?.userID, actor: actor, alertSink: alertSink, seconds: seconds,
                reason: "bad-credentials")
            throw VaultError.signInFailed
        }

        let vault = try unlocked(
            location: location, actor: actor, store: store, meta: meta, masterKey: masterKey,
            recordOpen: false)
        vault.policy = policy
        vault.alertSink = alertSink
        // Time goes on from `now` (tests pass another instant): a long-lived session, the
        // desktop app's, needs a running clock for activity, expiry and re-authentication.
        let offset = now.timeIntervalSinceNow
        vault.clock = { Date(timeIntervalSinceNow: offset) }
        // Force unwrap OK: without a slot the password check above has thrown.
        let userID = slot!.userID
        do {
            try vault.verifyDirectory()
        } catch {
            try? vault.record(
                .signIn, outcome: .failure, objectIDs: [userID.hexString],
                reasonCode: "directory-integrity", severity: .alert, userID: userID.hexString)
            vault.close()
            throw error
        }
        var user = try vault.loadUser(userID)

        // The code is checked and its time step stored in one write transaction, so two
        // sign-ins racing with the same code cannot both succeed.
        var method: AuthenticationMethod?
        var failure: VaultError?
        try vault.store.inTransaction {
            user = try vault.loadUser(userID)
            do {
                method = try vault.checkSecondFactor(secondFactor, user: &user, at: now)
            } catch let error as VaultError {
                failure = error
                return
            }
            try vault.saveUser(user)
            try vault.store.clearLoginFailures(lookup: lookup)
            try vault.refreshDirectory()
        }
        guard let method else {
            try recordSignInFailure(
                store: store, location: location, lookup: lookup, machine: machine,
                userID: userID, actor: actor, alertSink: alertSink, seconds: seconds,
                reason: failure == .totpReplayed ? "totp-replay" : "bad-second-factor",
                vault: vault)
            vault.close()
            throw VaultError.signInFailed
        }

        // Status and role are told only to someone who passed both factors.
        guard user.status == .active else {
            try vault.record(
                .signIn, outcome: .denied, objectIDs: [userID.hexString],
                reasonCode: "account-disabled", userID: userID.hexString)
            vault.close()
            throw VaultError.accountDisabled
        }
        let roleName = preferredRole ?? user.roles.first
        guard let roleName, user.roles.contains(roleName), let role = policy.role(named: roleName)
        else {
            vault.close()
            throw VaultError.accessDenied(reason: "the account does not hold that role")
        }

        let session = Session(
            sessionID: try SystemRandom.bytes(count: 16).hexString, userID: userID.hexString,
            role: role.name, method: method, startedAt: now, authenticatedAt: now,
            lastActivity: now, idleTimeout: try vault.idleTimeout(), breakGlass: nil)
        vault.access = AccessContext(session: session, role: role)
        do {
            try vault.record(.signIn, outcome: .success, reasonCode: method.rawValue)
        } catch VaultError.auditTrailDamaged {
            // The session still starts so an auditor can run `audit verify`; everything
            // that must be audited keeps refusing with the same error.
        }
        return vault
    }

    /// Counts a failure for the login name and the machine; locks and alerts at the
    /// thresholds. Before the master key is known the event goes to the spool.
    static func recordSignInFailure(
        store: VaultStore, location: VaultLocation, lookup: [UInt8], machine: [UInt8],
        userID: [UInt8]?, actor: String, alertSink: AlertSink?, seconds: Int64, reason: String,
        vault: Vault? = nil, action: AuditAction = .signIn
    ) throws {
        var row = try store.loginFailures(lookup: lookup)
            ?? LoginFailureRow(windowStart: seconds, failures: 0, lockCount: 0, lockedUntil: 0)
        if seconds - row.windowStart > SignInLimits.window {
            row.windowStart = seconds
            row.failures = 0
        }
        row.failures += 1
        var locked = false
        if row.failures >= SignInLimits.failuresBeforeLock {
            let duration = min(
                SignInLimits.firstLock << min(row.lockCount, 16), SignInLimits.longestLock)
            row.lockedUntil = seconds + duration
            row.lockCount += 1
            row.failures = 0
            row.windowStart = seconds
            locked = true
        }

        var machineRow = try store.loginFailures(lookup: machine)
            ?? LoginFailureRow(windowStart: seconds, failures: 0, lockCount: 0, lockedUntil: 0)
        if seconds - machineRow.windowStart > SignInLimits.window {
            machineRow.windowStart = seconds
            machineRow.failures = 0
        }
        machineRow.failures += 1
        let machineAlert = machineRow.failures == SignInLimits.machineAlertThreshold

        try store.inTransaction {
            try store.setLoginFailures(lookup: lookup, row)
            try store.setLoginFailures(lookup: machine, machineRow)
        }

        let ids = userID.map { [$0.hexString] } ?? []
        var events = [
            try vault?.event(
                action, outcome: .failure, objectIDs: ids, reasonCode: reason,
                severity: reason == "totp-replay" ? .alert : .info, userID: userID?.hexString)
                ?? AuditEvent(
                    action: action, outcome: .failure, actor: actor, objectIDs: ids,
                    reasonCode: reason, severity: reason == "totp-replay" ? .alert : .info)
        ]
        var alerts: [String] = []
        if reason == "totp-replay" { alerts.append("totp-replay") }
        if locked { alerts.append("account-locked") }
        if machineAlert { alerts.append("repeated-failures-machine") }
        for kind in alerts where kind != "totp-replay" {
            events.append(
                try AuditEvent(
                    action: .alert, outcome: .failure, actor: actor, objectIDs: ids,
                    reasonCode: kind, severity: .alert))
        }

        if let vault {
            try? vault.store.inTransaction {
                for event in events { try vault.audit.append(event) }
            }
        } else {
            for event in events { try spool(event, at: location) }
        }
        for kind in alerts {
            alertSink?.deliver(
                kind: kind, userID: userID?.hexString,
                at: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }

    /// Checks a TOTP code (once per time step) or consumes a recovery code.
    func checkSecondFactor(
        _ factor: SecondFactor, user: inout UserRecord, at now: Date
    ) throws -> AuthenticationMethod {
        switch factor {
        case .totp(let code):
            let result = TOTP.verify(
                code: code, secret: try user.totpSecret(), at: now,
                lastAcceptedStep: user.lastTOTPStep)
            switch result {
            case .accepted(let step):
                user.lastTOTPStep = step
                return .passwordAndTOTP
            case .replayed:
                throw VaultError.totpReplayed
            case .invalid:
                throw VaultError.signInFailed
            }
        case .recoveryCode(let code):
            let input = SecureBytes(copying: Array(code.utf8))
            guard let index = RecoveryCodes.verify(input, against: user.recoveryCodes) else {
                throw VaultError.signInFailed
            }
            user.recoveryCodes[index].markUsed(at: now)
            return .passwordAndRecoveryCode
        }
    }

    /// Confirms the signed-in user again (password and second factor) before a sensitive
    /// action; the session's authentication time moves to now.
    public func reauthenticate(password: SecureBytes, secondFactor: SecondFactor) throws {
        let context = try requireSession()
        let now = clock()
        let userID = try Self.parseID(context.session.userID)
        guard let lookup = try store.keySlotLookup(userID: userID),
            let slot = try store.keySlot(lookup: lookup)
        else {
            throw VaultError.signInFailed
        }
        let salt = try store.meta(Meta.loginSalt) ?? []
        let machine = try SHA256.digest(Self.machineLookupLabel + salt)

        // The same checks, counters, lockout and alerts as a sign-in.
        var failure: String?
        do {
            _ = try PassphraseKeyProvider(
                passphrase: password, parameters: try Self.slotParameters(store)
            ).unlock(enrolment: slot.enrolment)
        } catch {
            failure = "bad-credentials"
        }
        try verifyDirectory()
        if failure == nil {
            try store.inTransaction {
                var user = try loadUser(userID)
                do {
                    _ = try checkSecondFactor(secondFactor, user: &user, at: now)
                    try saveUser(user)
                    try refreshDirectory()
                } catch VaultError.totpReplayed {
                    failure = "totp-replay"
                } catch {
                    failure = "bad-second-factor"
                }
            }
        }
        if let failure {
            try Self.recordSignInFailure(
                store: store, location: location, lookup: lookup, machine: machine,
                userID: userID, actor: actor, alertSink: alertSink,
                seconds: Int64(now.timeIntervalSince1970), reason: failure, vault: self,
                action: .reauthenticate)
            throw VaultError.signInFailed
        }
        access?.session.authenticatedAt = now
        try record(.reauthenticate, outcome: .success)
    }

    /// Argon2id cost for user key slots (stored, so tests and small machines can lower it
    /// without a code path of their own).
    static func slotParameters(_ store: VaultStore) throws -> Argon2id.Parameters {
        guard let stored = try store.meta(Meta.slotParameters),
            let parameters = try? JSONDecoder().decode(Argon2id.Parameters.self, from: Data(stored))
        else {
            return .vaultDefault
        }
        return parameters
    }

    func idleTimeout() throws -> TimeInterval {
        guard let stored = try store.meta(Meta.idleTimeoutSeconds),
            let seconds = Int(String(decoding: stored, as: UTF8.self))
        else {
            return Session.defaultIdleTimeout
        }
        return min(TimeInterval(seconds), Session.maximumIdleTimeout)
    }

    static func parseID(_ hex: String) throws -> [UInt8] {
        guard hex.count == 32, let bytes = [UInt8](hexString: hex) else {
            throw VaultError.malformedPatientID
        }
        return bytes
    }
}
