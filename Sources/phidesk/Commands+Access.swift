import Foundation
import PhideskAudit
import PhideskAuth
import PhideskCrypto
import PhideskKeys
import PhideskPolicy
import PhideskVault

#if canImport(Glibc)
import Glibc
#endif

/// Accounts, sign-in, sessions, break-glass and policy: the commands around the records.
extension CommandLineTool {
    // MARK: - Secrets from the user

    /// A password: `--password-file`, `--password-fd`, `$PHIDESK_PASSWORD_FILE`, or a
    /// prompt on the terminal. Never from the command line.
    func password(_ arguments: Arguments, prompt: String, confirm: Bool = false) throws
        -> SecureBytes
    {
        let file = arguments.value("--password-file")
        let descriptor = arguments.value("--password-fd")
        if file != nil && descriptor != nil {
            throw UsageError("give --password-file or --password-fd, not both")
        }
        return try PassphraseInput.read(
            file: file ?? (descriptor == nil ? environment["PHIDESK_PASSWORD_FILE"] : nil),
            descriptor: descriptor, prompt: prompt,
            repeatPrompt: confirm ? "Repeat password: " : nil, what: "password")
    }

    /// The second factor: `--code` (a TOTP code is single-use and expires in seconds, so
    /// it may be typed on the command line) or a prompt.
    func secondFactor(_ arguments: Arguments) throws -> SecondFactor {
        let code: String
        if let given = arguments.value("--code") {
            code = given
        } else {
            let recovery = arguments.has("--recovery-code")
            let typed = try PassphraseInput.read(
                file: nil, descriptor: nil, prompt: recovery ? "Recovery code: " : "Code: ",
                repeatPrompt: nil, what: recovery ? "recovery code" : "authenticator code",
                alternatives: recovery ? "give it with --recovery-code --code CODE"
                    : "give it with --code CODE")
            code = typed.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
        return arguments.has("--recovery-code") ? .recoveryCode(code) : .totp(code)
    }

    // MARK: - init

    /// Creates the vault (installation passphrase: the recovery key) and the first
    /// administrator, whose MFA enrolment is printed once.
    func initVault(_ arguments: inout Arguments) throws -> Int32 {
        let policy = try policy(arguments)
        let location = try location(arguments)
        let login = arguments.popOperand() ?? "admin"
        let displayName = arguments.value("--name") ?? "Administrator"
        let installation = try passphrase(arguments, confirm: true)
        let adminPassword = try password(
            arguments, prompt: "Password for \(login): ", confirm: true)

        // Checked before anything is created, so a refused password leaves no vault
        // without an administrator behind.
        let problems = PasswordPolicy.check(
            adminPassword, userName: login, displayName: displayName)
        guard problems.isEmpty else {
            throw VaultError.weakPassword(problems.map(\.message))
        }

        let vault = try Vault.create(
            at: location, keyProvider: PassphraseKeyProvider(passphrase: installation),
            actor: AuditClock.currentActor())
        defer { vault.close() }
        let enrolment: MFAEnrolment
        do {
            enrolment = try vault.addUser(
                NewUser(loginName: login, displayName: displayName, roles: ["admin"],
                        password: adminPassword),
                policy: policy)
        } catch {
            vault.close()
            try? location.removeNewVault()
            throw error
        }
        printError("phidesk: created a vault at \(location.directory)")
        try printEnrolment(enrolment, login: login)
        return ExitStatus.success
    }

    /// Shows the authenticator QR code, the otpauth URI and the recovery codes, once.
    func printEnrolment(_ enrolment: MFAEnrolment, login: String) throws {
        var text = "\nMFA for \(login) (user \(enrolment.userID)): scan this with an "
            + "authenticator app.\n\n"
        if let qr = try? TerminalQR.render(enrolment.otpauthURI) {
            text += qr + "\n"
        }
        text += enrolment.otpauthURI + "\n\nRecovery codes (each works once; store them "
            + "offline):\n"
        text += enrolment.recoveryCodes.map { "  " + $0 }.joined(separator: "\n") + "\n"
        text += "\nThese are shown only now.\n"
        try TerminalOutput.standardOutput(text)
    }

    // MARK: - Sessions

    func login(_ arguments: inout Arguments) throws -> Int32 {
        guard let login = arguments.popOperand() ?? environment["USER"] else {
            throw UsageError("login needs a user name")
        }
        let policy = try policy(arguments)
        let password = try password(arguments, prompt: "Password for \(login): ")
        let vault = try Vault.signIn(
            at: try location(arguments), loginName: login, password: password,
            secondFactor: try secondFactor(arguments), policy: policy,
            actor: AuditClock.currentActor(), preferredRole: arguments.value("--role"),
            alertSink: AlertSink.fromEnvironment(environment))
        defer { vault.close() }
        try CommandLineSession.begin(vault, environment: environment)
        if let session = vault.access?.session {
            printError(
                "phidesk: signed in as \(login) (\(session.role)); the session locks after "
                    + "\(Int(session.idleTimeout / 60)) idle minutes")
        }
        return ExitStatus.success
    }

    func logout(_ arguments: Arguments) throws -> Int32 {
        let vault = try openVault(arguments)
        try CommandLineSession.signOut(vault, environment: environment)
        printError("phidesk: signed out")
        return ExitStatus.success
    }

    func reauthenticate(_ arguments: Arguments) throws -> Int32 {
        let vault = try openVault(arguments)
        defer { vault.close() }
        try vault.reauthenticate(
            password: try password(arguments, prompt: "Password: "),
            secondFactor: try secondFactor(arguments))
        try CommandLineSession.save(vault, environment: environment)
        printError("phidesk: identity confirmed for the next 5 minutes")
        return ExitStatus.success
    }

    func whoami(_ arguments: Arguments) throws -> Int32 {
        let vault = try openVault(arguments)
        defer { vault.close() }
        guard let session = vault.access?.session else { throw VaultError.notSignedIn }
        if arguments.has("--json") {
            try printJSON(session)
        } else {
            var text = "user \(session.userID)\nrole \(session.role)\n"
                + "session \(session.sessionID)\nsigned in with \(session.method.rawValue)\n"
                + "expires \(session.expiresAt)\n"
            if let grant = session.breakGlass {
                text += "BREAK-GLASS grant \(grant.grantID) until \(grant.expiresAt)\n"
            }
            try TerminalOutput.standardOutput(text)
        }
        return ExitStatus.success
    }

    // MARK: - Users

    func user(_ arguments: inout Arguments) throws -> Int32 {
        let subcommand = arguments.popOperand()
        let policy = try policy(arguments)
        let vault = try openVault(arguments)
        defer { vault.close() }

        if subcommand == "list" {
            let users = try vault.listUsers()
            if arguments.has("--json") {
                try printJSON(users)
            } else {
                let lines = users.map { user in
                    "\(user.userID)  \(user.loginName)  \(user.roles.joined(separator: ","))  "
                        + user.status + (user.lockedUntil == nil ? "" : "  LOCKED")
                }
                try TerminalOutput.standardOutput(
                    TerminalOutput.sanitized(lines.joined(separator: "\n")) + "\n")
            }
            return ExitStatus.success
        }

        guard let subcommand, let login = arguments.popOperand() else {
            throw UsageError(
                "user needs add|list|disable|enable|reset-password|reset-mfa|unlock|set-roles")
        }
        switch subcommand {
        case "add":
            let roles = arguments.values("--role")
            guard !roles.isEmpty else { throw UsageError("user add needs --role ROLE") }
            let password = try password(
                arguments, prompt: "Initial password for \(login): ", confirm: true)
            let enrolment = try vault.addUser(
                NewUser(loginName: login, displayName: arguments.value("--name") ?? login,
                        roles: roles, password: password),
                policy: policy)
            try printEnrolment(enrolment, login: login)
        case "disable":
            try vault.changeUser(loginName: login, .disable, policy: policy)
        case "enable":
            try vault.changeUser(loginName: login, .enable, policy: policy)
        case "unlock":
            try vault.changeUser(loginName: login, .unlock, policy: policy)
        case "reset-password":
            let password = try password(
                arguments, prompt: "New password for \(login): ", confirm: true)
            try vault.changeUser(loginName: login, .resetPassword(password), policy: policy)
        case "reset-mfa":
            if let enrolment = try vault.changeUser(loginName: login, .resetMFA, policy: policy) {
                try printEnrolment(enrolment, login: login)
            }
        case "set-roles":
            try vault.changeUser(
                loginName: login, .setRoles(arguments.values("--role")), policy: policy)
        default:
            throw UsageError("unknown user command '\(subcommand)'")
        }
        printError("phidesk: user \(login): \(subcommand) done")
        return ExitStatus.success
    }

    // MARK: - Break-glass and restricted patients

    func breakGlass(_ arguments: inout Arguments) throws -> Int32 {
        let subcommand = arguments.popOperand()
        let vault = try openVault(arguments)
        defer { vault.close() }

        switch subcommand {
        case "start":
            guard let code = arguments.value("--reason"),
                let reason = BreakGlassReason(rawValue: code)
            else {
                let codes = BreakGlassReason.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError("breakglass start needs --reason, one of: \(codes)")
            }
            let note = try readNote(arguments, prompt: "Why is emergency access needed? ")
            let minutes = Double(arguments.value("--minutes") ?? "60") ?? 60
            let grant = try vault.startBreakGlass(
                patientID: arguments.value("--patient"), reason: reason, note: note,
                duration: minutes * 60)
            try CommandLineSession.save(vault, environment: environment)
            printError(
                "phidesk: BREAK-GLASS active until \(grant.expiresAt) (grant \(grant.grantID)); "
                    + "every action is recorded and will be reviewed")
        case "end":
            try vault.endBreakGlass()
            try CommandLineSession.save(vault, environment: environment)
            printError("phidesk: break-glass ended")
        case "review":
            if let grant = arguments.value("--close") {
                let note = try readNote(arguments, prompt: "Review note: ")
                try vault.closeBreakGlassReview(grantID: grant, note: note)
                printError("phidesk: grant \(grant) reviewed")
                return ExitStatus.success
            }
            let grants = try vault.breakGlassGrants(includeReviewed: arguments.has("--all"))
            if arguments.has("--json") {
                try printJSON(grants)
            } else {
                let lines = grants.map { grant in
                    "\(grant.grantID)  user \(grant.userID)  patient \(grant.patientID ?? "any")"
                        + "  \(grant.reason.rawValue)  \(grant.startedAt)"
                        + (grant.reviewedAt == nil ? "  OPEN" : "  reviewed")
                        + "\n    note: \(grant.note)"
                }
                try TerminalOutput.standardOutput(
                    TerminalOutput.sanitized(
                        lines.isEmpty
                            ? "no grants to review\n" : lines.joined(separator: "\n") + "\n"))
            }
        default:
            throw UsageError("breakglass needs start|end|review")
        }
        return ExitStatus.success
    }

    /// Free text (it may mention clinical detail) from `--note-file`, else one line from
    /// standard input (a prompt on a terminal); never from the command line. At most
    /// `Vault.maxNoteBytes`, read no further than that, and UTF-8.
    private func readNote(_ arguments: Arguments, prompt: String) throws -> String {
        let limit = Vault.maxNoteBytes
        let source: String
        let bytes: [UInt8]
        if let file = arguments.value("--note-file") {
            source = file
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw UsageError("\(file): cannot read")
            }
            defer { try? handle.close() }
            do {
                // Nil at end of file: an empty file, reported below as an empty note.
                bytes = [UInt8](try handle.read(upToCount: limit + 1) ?? Data())
            } catch {
                throw UsageError("\(file): cannot read")
            }
        } else {
            source = "the note"
            bytes = PassphraseInput.readVisibleLine(prompt: prompt, maxBytes: limit + 1)
        }
        guard bytes.count <= limit else {
            throw UsageError("\(source): a note is at most \(limit) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsageError("\(source): a note must be UTF-8 text")
        }
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else {
            throw UsageError(
                "the note is empty: type it when asked, or give --note-file FILE")
        }
        return note
    }

    func patient(_ arguments: inout Arguments) throws -> Int32 {
        guard let subcommand = arguments.popOperand(), let id = arguments.popOperand(),
            ["restrict", "unrestrict"].contains(subcommand)
        else {
            throw UsageError("patient needs restrict|unrestrict PATIENT")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        try vault.setRestricted(patientID: id, subcommand == "restrict")
        printError("phidesk: patient \(id) \(subcommand)ed")
        return ExitStatus.success
    }

    // MARK: - Settings

    func settings(_ arguments: inout Arguments) throws -> Int32 {
        guard arguments.popOperand() == "idle-timeout", let text = arguments.popOperand(),
            let minutes = Int(text)
        else {
            throw UsageError("settings needs idle-timeout MINUTES (1 to 30)")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        try vault.setIdleTimeout(minutes: minutes)
        printError("phidesk: sessions started from now on lock after \(minutes) idle minutes")
        return ExitStatus.success
    }

    // MARK: - Policy

    func policyCheck(_ arguments: inout Arguments) throws -> Int32 {
        guard arguments.popOperand() == "check", let file = arguments.popOperand() else {
            throw UsageError("policy needs check FILE")
        }
        do {
            let policy = try AccessPolicy.load(contentsOf: URL(fileURLWithPath: file))
            try TerminalOutput.standardOutput(
                "policy OK: version \(policy.version), roles "
                    + policy.roleNames.joined(separator: ", ") + "\n")
            return ExitStatus.success
        } catch let error as PolicyError {
            printError("phidesk: \(file): \(error)")
            return ExitStatus.failure
        }
    }
}
