import Foundation
import PhideskAudit
import PhideskAuth
public import PhideskCrypto
import PhideskKeys
public import PhideskPolicy
import PhideskStore

/// What an administrator supplies to create an account.
public struct NewUser: Sendable {
    public var loginName: String
    public var displayName: String
    public var roles: [String]
    public var password: SecureBytes

    public init(loginName: String, displayName: String, roles: [String], password: SecureBytes) {
        self.loginName = loginName
        self.displayName = displayName
        self.roles = roles
        self.password = password
    }
}

extension Vault {
    // MARK: - Sealed user records

    /// The signed-in person's display name, for "Signed in as …" (staff data, no PHI).
    public func signedInDisplayName() throws -> String {
        let context = try requireSession()
        return try loadUser(Self.parseID(context.session.userID)).displayName
    }

    func loadUser(_ userID: [UInt8]) throws -> UserRecord {
        guard let row = try store.user(userID: userID) else { throw VaultError.userNotFound }
        let cipher = try dataCipher(patientID: nil)
        do {
            let plaintext = try cipher.open(
                row.sealed, authenticating: UserRecord.aad(userID: userID))
            return try plaintext.withUnsafeBytes { bytes in
                try JSONDecoder().decode(UserRecord.self, from: Data(bytes))
            }
        } catch {
            throw VaultError.integrityFailure(recordID: userID.hexString)
        }
    }

    func saveUser(_ user: UserRecord) throws {
        let userID = try Self.parseID(user.userID)
        let cipher = try dataCipher(patientID: nil)
        let plaintext = Array(try JSONEncoder().encode(user))
        let sealed = try cipher.seal(plaintext, authenticating: UserRecord.aad(userID: userID))
        if try store.user(userID: userID) == nil {
            try store.insertUser(userID: userID, sealed: sealed)
        } else {
            try store.updateUser(userID: userID, sealed: sealed)
        }
    }

    private func loginSalt() throws -> [UInt8] {
        if let salt = try store.meta(Meta.loginSalt) {
            return salt
        }
        let salt = try SystemRandom.bytes(count: 16)
        try store.setMeta(Meta.loginSalt, salt)
        return salt
    }

    // MARK: - Administration

    /// Creates an account with a key slot for its password, a fresh TOTP secret and 10
    /// recovery codes. Needs `user.manage` and a recent authentication, except for the
    /// first administrator, created by `phidesk init` with the installation key.
    ///
    /// - Returns: the MFA enrolment to show the new user once.
    public func addUser(_ new: NewUser, policy: AccessPolicy) throws -> MFAEnrolment {
        let isFirstAdministrator = try access == nil && store.allUsers().isEmpty
        if !isFirstAdministrator {
            try authorize(.userManage, action: .userAdd)
            try requireRecentAuthentication(for: .userAdd)
        }
        guard !new.roles.isEmpty, new.roles.allSatisfy({ policy.role(named: $0) != nil }) else {
            throw VaultError.invalidArgument("unknown role")
        }
        guard AuditValidation.isToken(new.loginName), new.loginName.count <= 64 else {
            throw VaultError.invalidArgument(
                "login names use letters, digits and . _ - @ : / + (at most 64)")
        }
        let problems = PasswordPolicy.check(
            new.password, userName: new.loginName, displayName: new.displayName)
        guard problems.isEmpty else { throw VaultError.weakPassword(problems.map(\.message)) }

        let lookup = try Self.loginLookup(new.loginName, salt: try loginSalt())
        guard try store.keySlot(lookup: lookup) == nil else { throw VaultError.userExists }

        let userID = try SystemRandom.bytes(count: 16)
        let secret = try TOTPSecret.generate()
        let recovery = try RecoveryCodes.generate()
        let now = clock()
        let user = UserRecord(
            userID: userID.hexString, loginName: new.loginName, displayName: new.displayName,
            roles: new.roles, status: .active,
            totpSecretHex: secret.withUnsafeSecretBytes { Array($0).hexString },
            lastTOTPStep: nil, recoveryCodes: recovery.stored, createdAt: now, updatedAt: now)
        let enrolment = try slotEnrolment(password: new.password)

        try verifyDirectory()
        try store.inTransaction {
            try saveUser(user)
            try store.setKeySlot(lookup: lookup, userID: userID, enrolment: enrolment)
            try refreshDirectory()
            try audit.append(try event(.userAdd, outcome: .success, objectIDs: [userID.hexString]))
        }
        return MFAEnrolment(
            userID: userID.hexString,
            otpauthURI: try TOTPEnrolment.revealURIForEnrolment(
                secret: secret, account: new.loginName),
            recoveryCodes: recovery.revealed)
    }

    /// The master key wrapped under an Argon2id key from `password` (a key slot).
    private func slotEnrolment(password: SecureBytes) throws -> [UInt8] {
        try PassphraseKeyProvider(
            passphrase: password, parameters: try Self.slotParameters(store)
        ).enrol(masterKey: try keyring.masterKeyForEnrolment())
    }

    /// Refuses a change that would leave no active account able to manage users (the
    /// installation passphrase is a recovery key, not a way back in).
    private func requireAnAdministrator(after changed: UserRecord, policy: AccessPolicy) throws {
        let users = try store.allUsers().map { try loadUser($0.userID) }
            .map { $0.userID == changed.userID ? changed : $0 }
        let administrators = users.filter { user in
            user.status == .active
                && user.roles.contains { policy.role(named: $0)?.permits(.userManage) == true }
        }
        guard !administrators.isEmpty else {
            throw VaultError.invalidArgument(
                "this change would leave no active administrator; add another one first")
        }
    }

    public func listUsers() throws -> [UserSummary] {
        try authorize(.userManage, action: .userChange)
        let now = Int64(clock().timeIntervalSince1970)
        let salt = try store.meta(Meta.loginSalt) ?? []
        return try store.allUsers().map { row in
            let user = try loadUser(row.userID)
            let lookup = try Self.loginLookup(user.loginName, salt: salt)
            let failures = try store.loginFailures(lookup: lookup)
            let locked = failures.flatMap { $0.lockedUntil > now ? $0.lockedUntil : nil }
            return UserSummary(
                userID: user.userID, loginName: user.loginName, displayName: user.displayName,
                roles: user.roles, status: user.status.rawValue,
                lockedUntil: locked.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }.sorted { $0.loginName < $1.loginName }
    }

    /// The account with this login name (for administration commands).
    func user(loginName: String) throws -> UserRecord {
        let lookup = try Self.loginLookup(loginName, salt: try store.meta(Meta.loginSalt) ?? [])
        guard let slot = try store.keySlot(lookup: lookup) else { throw VaultError.userNotFound }
        return try loadUser(slot.userID)
    }

    public enum UserChange: Sendable {
        case disable, enable, unlock
        case resetPassword(SecureBytes)
        case resetMFA
        case setRoles([String])
    }

    /// Applies an administrative change; returns a new MFA enrolment for `.resetMFA`.
    @discardableResult
    public func changeUser(
        loginName: String, _ change: UserChange, policy: AccessPolicy
    ) throws -> MFAEnrolment? {
        try authorize(.userManage, action: .userChange)
        try requireRecentAuthentication(for: .userChange)
        var user = try user(loginName: loginName)
        let userID = try Self.parseID(user.userID)
        let lookup = try Self.loginLookup(
            user.loginName, salt: try store.meta(Meta.loginSalt) ?? [])
        var enrolment: MFAEnrolment?
        var newSlot: [UInt8]?
        let reason: String

        switch change {
        case .disable:
            guard user.userID != access?.session.userID else {
                throw VaultError.accessDenied(reason: "you cannot disable your own account")
            }
            user.status = .disabled
            reason = "disabled"
        case .enable:
            user.status = .active
            reason = "enabled"
        case .unlock:
            reason = "unlocked"
        case .resetPassword(let password):
            let problems = PasswordPolicy.check(
                password, userName: user.loginName, displayName: user.displayName)
            guard problems.isEmpty else { throw VaultError.weakPassword(problems.map(\.message)) }
            newSlot = try slotEnrolment(password: password)
            reason = "password-reset"
        case .resetMFA:
            let secret = try TOTPSecret.generate()
            let recovery = try RecoveryCodes.generate()
            user.totpSecretHex = secret.withUnsafeSecretBytes { Array($0).hexString }
            user.lastTOTPStep = nil
            user.recoveryCodes = recovery.stored
            enrolment = MFAEnrolment(
                userID: user.userID,
                otpauthURI: try TOTPEnrolment.revealURIForEnrolment(
                    secret: secret, account: user.loginName),
                recoveryCodes: recovery.revealed)
            reason = "mfa-reset"
        case .setRoles(let roles):
            guard !roles.isEmpty, roles.allSatisfy({ policy.role(named: $0) != nil }) else {
                throw VaultError.invalidArgument("unknown role")
            }
            try authorize(.roleManage, action: .userChange)
            user.roles = roles
            reason = "roles-changed"
        }
        user.updatedAt = clock()
        try requireAnAdministrator(after: user, policy: policy)

        try verifyDirectory()
        try store.inTransaction {
            try saveUser(user)
            if let newSlot {
                try store.setKeySlot(lookup: lookup, userID: userID, enrolment: newSlot)
            }
            if case .unlock = change {
                try store.clearLoginFailures(lookup: lookup)
            }
            try refreshDirectory()
            try audit.append(
                try event(
                    .userChange, outcome: .success, objectIDs: [user.userID], reasonCode: reason))
        }
        return enrolment
    }
}

extension Vault {
    /// Sets how long a session may sit idle before it locks (1 to 30 minutes).
    public func setIdleTimeout(minutes: Int) throws {
        try authorize(.userManage, action: .userChange)
        try requireRecentAuthentication(for: .userChange)
        guard (1...Int(Session.maximumIdleTimeout / 60)).contains(minutes) else {
            throw VaultError.invalidArgument("the idle timeout is 1 to 30 minutes")
        }
        try store.inTransaction {
            try store.setMeta(Meta.idleTimeoutSeconds, Array(String(minutes * 60).utf8))
            try audit.append(
                try event(.userChange, outcome: .success, reasonCode: "idle-timeout-set",
                          count: minutes))
        }
    }
}
