import Foundation
import PhideskAudit
import PhideskCrypto
import PhideskFHIR
import PhideskPolicy
import PhideskStore
import Testing

@testable import PhideskVault

/// Users, sessions, roles and break-glass, through the vault's data layer.
@Suite("Access control")
struct AccessTests {
    static let password = "an unusual password for staff"

    /// A vault with every shared file, plus one user per shipped role.
    static let staffed: VaultLocation = {
        let records = try! TestVaults.create()
        _ = try! records.importFiles(SharedData.files(in: SharedData.synthea))
        for role in ["clinician", "billing", "admin", "auditor"] {
            _ = try! records.addUser(
                NewUser(loginName: role + "1", displayName: "Sam Example", roles: [role],
                        password: SecureBytes(copying: Array(password.utf8))),
                policy: TestVaults.policy)
        }
        let location = records.location
        records.close()
        return location
    }()

    static func signIn(_ role: String, at location: VaultLocation = staffed) throws -> Vault {
        try TestVaults.signIn(location, login: role + "1", password: password)
    }

    static func patientID(_ vault: Vault, family: String) throws -> String {
        let records = try TestVaults.open(vault.location)
        defer { records.close() }
        return try #require(records.search(PatientQuery(family: family)).first?.patientID)
    }

    // MARK: - Roles and minimum necessary

    @Test func clinicianSeesClinicalDataButNoClaimAmounts() throws {
        let vault = try Self.signIn("clinician")
        defer { vault.close() }
        let id = try Self.patientID(vault, family: "price")
        let (records, _) = try vault.patientRecords(
            try Vault.parsePatientID(id), projectedFor: try vault.requireSession())

        let types = Set(records.map(\.resourceType))
        #expect(types.contains("Observation"))
        #expect(types.contains("Claim"))
        for claim in records where claim.resourceType == "Claim" {
            let text = String(decoding: claim.resource, as: UTF8.self)
            #expect(!text.contains("\"total\""))
            #expect(!text.contains("\"net\""))
            #expect(text.contains("\"productOrService\""))
        }
        let (chart, _) = try vault.chart(patientID: id)
        #expect(!chart.vitals.isEmpty)
    }

    @Test func billingSeesDemographicsAndClaimsButNoClinicalValues() throws {
        let vault = try Self.signIn("billing")
        defer { vault.close() }
        let id = try Self.patientID(vault, family: "price")
        let (records, _) = try vault.patientRecords(
            try Vault.parsePatientID(id), projectedFor: try vault.requireSession())

        let types = Set(records.map(\.resourceType))
        #expect(!types.contains("Observation"))
        #expect(!types.contains("DocumentReference"))
        #expect(!types.contains("Condition"))
        #expect(types.contains("Claim"))
        #expect(types.contains("Encounter"))
        let patient = try #require(records.first { $0.resourceType == "Patient" })
        let fields = try JSONSerialization.jsonObject(with: Data(patient.resource))
            as! [String: Any]
        #expect(fields["birthDate"] != nil)
        #expect(fields["name"] != nil)
        #expect(fields["identifier"] != nil)
        #expect(fields["text"] == nil, "the narrative copies clinical detail")
        #expect(fields["extension"] == nil)

        let matches = try vault.search(PatientQuery(family: "price"))
        #expect(matches.first?.displayName == "Dexter530 Price929")
        #expect(throws: VaultError.accessDenied(reason: "permission-denied")) {
            _ = try vault.export(patientID: id)
        }
    }

    @Test(arguments: ["admin", "auditor"])
    func administrativeRolesSeeNoPHI(role: String) throws {
        let vault = try Self.signIn(role)
        defer { vault.close() }
        #expect(throws: VaultError.accessDenied(reason: "permission-denied")) {
            _ = try vault.search(PatientQuery(family: "price"))
        }
        let id = try Self.patientID(vault, family: "price")
        #expect(throws: VaultError.accessDenied(reason: "permission-denied")) {
            _ = try vault.chart(patientID: id)
        }
        // What they may do: read the audit trail.
        #expect(try vault.verifyAudit().isIntact)
        let mine = try vault.auditTail(count: 30).filter {
            $0.sessionID == vault.access?.session.sessionID
        }
        let denials = mine.filter { $0.outcome == .denied }
        #expect(denials.map(\.action) == [.search, .read])
        #expect(denials.allSatisfy { $0.role == role && $0.userID != nil })
    }

    @Test func repeatedDenialsRaiseAnAlert() throws {
        // A user of its own, so denials from other tests do not count towards this one.
        let records = try TestVaults.create()
        _ = try records.importFiles([SharedData.synthea("6c8f3e83")])
        let id = try #require(records.search(PatientQuery(family: "bartell")).first?.patientID)
        _ = try records.addUser(
            NewUser(loginName: "billy", displayName: "Bill Ing", roles: ["billing"],
                    password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: TestVaults.policy)
        records.close()
        for _ in 0..<SignInLimits.deniedAccessAlertThreshold {
            // Each attempt in its own session, as separate CLI commands would be.
            let vault = try TestVaults.signIn(
                records.location, login: "billy", password: Self.password)
            _ = try? vault.export(patientID: id)
            vault.close()
        }
        let events = try TestVaults.open(records.location).auditTail(count: 30)
        #expect(events.contains {
            $0.action == .alert && $0.reasonCode == "repeated-denied-access"
        })
    }

    // MARK: - Sign-in, TOTP and recovery codes

    @Test func totpCodesWorkOnceAndToleratesOneStepOfDrift() throws {
        let location = try TestVaults.create().location
        let now = SignInClock.next()
        let password = SecureBytes(copying: Array(TestVaults.userPassword.utf8))
        func attempt(_ codeTime: Date, at time: Date) throws -> Vault {
            let code = try TestVaults.totpCode(location, login: "tester", at: codeTime)
            return try Vault.signIn(
                at: location, loginName: "tester", password: password,
                secondFactor: .totp(code), policy: TestVaults.policy, actor: "t", now: time)
        }

        try attempt(now, at: now).close()
        // The same code again is a replay: refused and alerted.
        #expect(throws: VaultError.signInFailed) { _ = try attempt(now, at: now) }
        // The next step's code (clock drift) still works; two steps ahead does not.
        try attempt(now + 30, at: now).close()
        #expect(throws: VaultError.signInFailed) { _ = try attempt(now + 90, at: now) }

        let trail = try TestVaults.open(location).auditTail(count: 12)
        #expect(trail.contains { $0.reasonCode == "totp-replay" && $0.severity == .alert })
    }

    @Test func recoveryCodesAreSingleUse() throws {
        let location = VaultLocation(directory: TestVaults.temporaryDirectory() + "/vault")
        let installer = try Vault.create(
            at: location, keyProvider: TestVaults.provider(), actor: "t")
        try installer.store.setMeta(
            Vault.Meta.slotParameters, Array(try JSONEncoder().encode(TestVaults.cheap)))
        let enrolment = try installer.addUser(
            NewUser(loginName: "rc", displayName: "R C", roles: ["clinician"],
                    password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: TestVaults.policy)
        installer.close()
        #expect(enrolment.recoveryCodes.count == 10)

        func signIn(_ code: String) throws {
            try Vault.signIn(
                at: location, loginName: "rc",
                password: SecureBytes(copying: Array(Self.password.utf8)),
                secondFactor: .recoveryCode(code), policy: TestVaults.policy, actor: "t",
                now: SignInClock.next()
            ).close()
        }
        try signIn(enrolment.recoveryCodes[3])
        #expect(throws: VaultError.signInFailed) { try signIn(enrolment.recoveryCodes[3]) }
        try signIn(enrolment.recoveryCodes[4].uppercased())
    }

    @Test func failedSignInsLockTheAccountWithGrowingBackoff() throws {
        let location = try TestVaults.create().location
        let start = SignInClock.next()
        func wrong(at time: Date) {
            _ = try? Vault.signIn(
                at: location, loginName: "tester",
                password: SecureBytes(copying: Array("not the password at all".utf8)),
                secondFactor: .totp("000000"), policy: TestVaults.policy, actor: "t", now: time)
        }
        func right(at time: Date) throws -> Vault {
            try Vault.signIn(
                at: location, loginName: "tester",
                password: SecureBytes(copying: Array(TestVaults.userPassword.utf8)),
                secondFactor: .totp(try TestVaults.totpCode(location, login: "tester", at: time)),
                policy: TestVaults.policy, actor: "t", now: time)
        }

        for second in 0..<5 { wrong(at: start + Double(second)) }
        // Locked: even the right password and code are refused for 15 minutes.
        #expect(throws: VaultError.self) { _ = try right(at: start + 60) }

        // Guessing goes on after the lock expires: the second lock lasts twice as long.
        let later = start + 16 * 60
        for second in 0..<5 { wrong(at: later + Double(second)) }
        #expect(throws: VaultError.self) { _ = try right(at: later + 16 * 60) }
        try right(at: later + 31 * 60).close()

        let trail = try TestVaults.open(location).auditTail(count: 40)
        #expect(
            trail.filter { $0.reasonCode == "account-locked" && $0.severity == .alert }.count == 2)
        #expect(trail.contains { $0.reasonCode == "bad-credentials" && $0.recordedUnauthenticated })
    }

    @Test func administratorUnlocksAndDisables() throws {
        let admin = try TestVaults.create()
        defer { admin.close() }
        _ = try admin.addUser(
            NewUser(loginName: "locked", displayName: "Lock Ed", roles: ["clinician"],
                    password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: TestVaults.policy)
        let time = SignInClock.next()
        for second in 0..<5 {
            _ = try? Vault.signIn(
                at: admin.location, loginName: "locked",
                password: SecureBytes(copying: Array("wrong wrong wrong".utf8)),
                secondFactor: .totp("000000"), policy: TestVaults.policy, actor: "t",
                now: time + Double(second))
        }
        #expect(try admin.listUsers().first { $0.loginName == "locked" }?.lockedUntil != nil)
        try admin.changeUser(loginName: "locked", .unlock, policy: TestVaults.policy)
        try TestVaults.signIn(admin.location, login: "locked", password: Self.password).close()

        try admin.changeUser(loginName: "locked", .disable, policy: TestVaults.policy)
        #expect(throws: VaultError.accountDisabled) {
            _ = try TestVaults.signIn(admin.location, login: "locked", password: Self.password)
        }
    }

    /// An unknown login name and a wrong password cost the same Argon2id work, so their
    /// timings overlap; the bound is loose because the machine is shared.
    @Test func unknownUserAndWrongPasswordAreIndistinguishable() throws {
        let vault = try TestVaults.create()
        let location = vault.location
        // Production-like cost so the Argon2id work dominates the measurement.
        let moderate = Argon2id.Parameters(memoryKiB: 16384, iterations: 2, parallelism: 1)
        try vault.store.setMeta(
            Vault.Meta.slotParameters, Array(try JSONEncoder().encode(moderate)))
        for login in ["timed1", "timed2"] {
            _ = try vault.addUser(
                NewUser(loginName: login, displayName: "Tim Ed", roles: ["clinician"],
                        password: SecureBytes(copying: Array(Self.password.utf8))),
                policy: TestVaults.policy)
        }
        vault.close()

        func seconds(_ login: String) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            var message = ""
            do {
                _ = try Vault.signIn(
                    at: location, loginName: login,
                    password: SecureBytes(copying: Array("definitely wrong pw".utf8)),
                    secondFactor: .totp("000000"), policy: TestVaults.policy, actor: "t",
                    now: Date(timeIntervalSinceNow: Double.random(in: 0...1)))
            } catch {
                message = "\(error)"
            }
            #expect(message == "\(VaultError.signInFailed)")
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var known: [Double] = []
        var unknown: [Double] = []
        for round in 0..<8 {
            // Two accounts, four failures each, stay under the lockout threshold.
            known.append(seconds(round % 2 == 0 ? "timed1" : "timed2"))
            unknown.append(seconds("ghost\(round)"))
        }
        let knownMedian = known.sorted()[known.count / 2]
        let unknownMedian = unknown.sorted()[unknown.count / 2]
        #expect(unknownMedian / knownMedian > 0.6 && unknownMedian / knownMedian < 1.6,
                "known \(knownMedian) s, unknown \(unknownMedian) s")
    }

    // MARK: - Sessions

    @Test func idleSessionLocksAndWipesKeys() throws {
        let vault = try Self.signIn("clinician")
        let id = try Self.patientID(vault, family: "price")
        _ = try vault.chart(patientID: id)
        #expect(vault.unwrappedDataKeyCount > 0)

        let signedInAt = vault.clock()
        vault.clock = { signedInAt + 16 * 60 }
        #expect(throws: VaultError.sessionEnded(.idle)) { _ = try vault.chart(patientID: id) }
        #expect(vault.unwrappedDataKeyCount == 0)
        #expect(vault.access == nil)
        #expect(throws: VaultError.notSignedIn) { _ = try vault.chart(patientID: id) }
    }

    @Test func sessionsEndAfterTwelveHoursEvenWhenActive() throws {
        let vault = try Self.signIn("clinician")
        let start = vault.clock()
        for hour in 1...11 {
            vault.clock = { start + Double(hour) * 3600 }
            vault.touch()
        }
        vault.clock = { start + 12 * 3600 + 1 }
        #expect(throws: VaultError.sessionEnded(.lifetime)) {
            _ = try vault.search(PatientQuery(family: "price"))
        }
    }

    @Test func exportNeedsARecentAuthentication() throws {
        // Its own vault and user: re-authentication consumes a code at a moved clock.
        let vault = try TestVaults.create()
        defer { vault.close() }
        _ = try vault.importFiles([SharedData.synthea("6c8f3e83")])
        let id = try #require(vault.search(PatientQuery(family: "bartell")).first?.patientID)
        let signedInAt = vault.clock()
        vault.clock = { signedInAt + 6 * 60 }
        vault.touch()
        #expect(throws: VaultError.reauthenticationRequired) { _ = try vault.export(patientID: id) }

        let later = signedInAt + 7 * 60
        vault.clock = { later }
        let code = try TestVaults.totpCode(vault.location, login: "tester", at: later)
        try vault.reauthenticate(
            password: SecureBytes(copying: Array(TestVaults.userPassword.utf8)),
            secondFactor: .totp(code))
        #expect(try !vault.export(patientID: id).isEmpty)
    }

    // MARK: - Break-glass

    @Test func breakGlassOpensARestrictedRecordForAnHourAndIsReviewed() throws {
        let records = try TestVaults.create()
        _ = try records.importFiles([SharedData.synthea("6c8f3e83")])
        let id = try #require(records.search(PatientQuery(family: "bartell")).first?.patientID)
        try records.setRestricted(patientID: id, true)
        for (login, role) in [("doc", "clinician"), ("aud", "auditor")] {
            _ = try records.addUser(
                NewUser(loginName: login, displayName: "Some One", roles: [role],
                        password: SecureBytes(copying: Array(Self.password.utf8))),
                policy: TestVaults.policy)
        }
        let location = records.location
        records.close()

        let doctor = try TestVaults.signIn(location, login: "doc", password: Self.password)
        defer { doctor.close() }
        #expect(throws: VaultError.accessDenied(reason: "restricted-patient")) {
            _ = try doctor.chart(patientID: id)
        }
        #expect(try doctor.search(PatientQuery(family: "bartell")).first?.displayName
            == "(restricted record)")

        let grant = try doctor.startBreakGlass(
            patientID: id, reason: .emergencyTreatment, note: "unconscious on arrival")
        let (chart, _) = try doctor.chart(patientID: id)
        #expect(chart.patient.displayName == "Maximo817 Bartell116")
        let marked = try TestVaults.open(location).auditTail(count: 6)
        #expect(marked.contains {
            $0.action == .read && $0.breakGlassGrant == grant.grantID && $0.outcome == .success
        })
        #expect(marked.contains { $0.action == .breakGlassStart && $0.severity == .alert })

        // After the hour the grant no longer opens the record.
        let started = doctor.clock()
        doctor.clock = { started + 50 * 60 }
        doctor.touch()
        doctor.clock = { started + 61 * 60 }
        doctor.touch()
        #expect(throws: VaultError.accessDenied(reason: "restricted-patient")) {
            _ = try doctor.chart(patientID: id)
        }

        let auditor = try TestVaults.signIn(location, login: "aud", password: Self.password)
        defer { auditor.close() }
        let queue = try auditor.breakGlassGrants()
        #expect(queue.map(\.grantID) == [grant.grantID])
        #expect(queue.first?.note == "unconscious on arrival")
        try auditor.closeBreakGlassReview(grantID: grant.grantID, note: "justified")
        #expect(try auditor.breakGlassGrants().isEmpty)
        #expect(
            try auditor.breakGlassGrants(includeReviewed: true).first?.reviewNote == "justified")
    }

    @Test func nobodyReviewsTheirOwnGrantAndLiftedRestrictionsAreDetected() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        _ = try vault.importFiles([SharedData.synthea("6c8f3e83")])
        let id = try #require(vault.search(PatientQuery(family: "bartell")).first?.patientID)
        try vault.setRestricted(patientID: id, true)
        let grant = try vault.startBreakGlass(
            patientID: id, reason: .patientSafety, note: "checking a medication")
        #expect(
            throws: VaultError.accessDenied(reason: "nobody reviews their own emergency access")
        ) {
            try vault.closeBreakGlassReview(grantID: grant.grantID, note: "fine")
        }

        // Deleting the restriction row behind the vault's back is found by `vault check`.
        #expect(try vault.check().isHealthy)
        try TamperTests.tamper(vault.location, "DELETE FROM restricted_patients")
        #expect(try !vault.check().isHealthy)
    }

    /// A signed-in vault's clock runs on (the desktop app keeps one open for hours), so
    /// activity moves the idle deadline.
    @Test func activityInALongSessionMovesTheIdleDeadline() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        let signedIn = try #require(vault.access?.session.lastActivity)
        Thread.sleep(forTimeInterval: 0.3)
        vault.touch()
        let touched = try #require(vault.access?.session.lastActivity)
        #expect(touched.timeIntervalSince(signedIn) >= 0.25)
    }

    /// Search shows a patient's death only to roles whose Patient view has every form of
    /// deceased[x].
    @Test func deceasedIsShownOnlyWithTheWholeChoiceElement() throws {
        let defaults = try AccessPolicy.bundledDefault()
        #expect(try #require(defaults.role(named: "clinician"))
            .showsChoice("deceased", types: ["DateTime", "Boolean"], of: "Patient"))
        #expect(try !#require(defaults.role(named: "billing"))
            .showsChoice("deceased", types: ["DateTime", "Boolean"], of: "Patient"))

        func role(_ view: String) throws -> Role {
            let text = #"{"format":"phidesk-policy","version":1,"roles":{"r":{"#
                + #""permissions":["record.read"],"resources":{"Patient":\#(view)}}}}"#
            return try #require(AccessPolicy.load(Array(text.utf8)).role(named: "r"))
        }
        let cases: [(String, Bool)] = [
            (#"{"view":"include","paths":["name","deceased[x]"]}"#, true),
            (#"{"view":"include","paths":["deceasedDateTime","deceasedBoolean"]}"#, true),
            (#"{"view":"include","paths":["deceasedDateTime"]}"#, false),
            (#"{"view":"exclude","paths":["deceasedBoolean"]}"#, false),
            (#"{"view":"exclude","paths":["address"]}"#, true),
        ]
        for (view, shown) in cases {
            #expect(try role(view).showsChoice(
                "deceased", types: ["DateTime", "Boolean"], of: "Patient") == shown, "\(view)")
        }
    }

    @Test func breakGlassNotesHaveALengthLimit() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        let tooLong = String(repeating: "n", count: Vault.maxNoteBytes + 1)
        let refused = VaultError.invalidArgument("a note is at most 8192 bytes")

        #expect(throws: refused) {
            _ = try vault.startBreakGlass(patientID: nil, reason: .patientSafety, note: tooLong)
        }
        #expect(try vault.breakGlassGrants().isEmpty, "nothing was started")
        let grant = try vault.startBreakGlass(
            patientID: nil, reason: .patientSafety,
            note: String(repeating: "n", count: Vault.maxNoteBytes))
        #expect(throws: refused) {
            try vault.closeBreakGlassReview(grantID: grant.grantID, note: tooLong)
        }
    }

    @Test func anOlderCopyOfAUserRowIsDetectedAndRefused() throws {
        let admin = try TestVaults.create()
        defer { admin.close() }
        _ = try admin.addUser(
            NewUser(loginName: "leaver", displayName: "Lee Ver", roles: ["clinician"],
                    password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: TestVaults.policy)
        let before = try #require(try admin.store.allUsers().first {
            (try? admin.loadUser($0.userID).loginName) == "leaver"
        })
        try admin.changeUser(loginName: "leaver", .disable, policy: TestVaults.policy)

        // Someone with file access puts the enabled copy back.
        let database = try SQLiteDatabase(path: admin.location.databasePath, create: false)
        let restore = try database.statement("UPDATE users SET sealed = ? WHERE user_id = ?")
        try restore.bind(1, before.sealed).bind(2, before.userID)
        try restore.run()

        #expect(throws: VaultError.integrityFailure(recordID: admin.vaultID.hexString)) {
            _ = try TestVaults.signIn(admin.location, login: "leaver", password: Self.password)
        }
        #expect(throws: VaultError.integrityFailure(recordID: admin.vaultID.hexString)) {
            _ = try admin.search(PatientQuery(family: "anyone"))
        }
        #expect(!(try admin.check().isHealthy))
    }

    @Test func theLastAdministratorCannotBeRemoved() throws {
        let admin = try TestVaults.create()
        defer { admin.close() }
        #expect(throws: VaultError.self) {
            try admin.changeUser(loginName: "tester", .setRoles(["auditor"]),
                                 policy: TestVaults.policy)
        }
        #expect(try admin.listUsers().first?.roles == ["records"])
    }

    @Test func importIntoARestrictedRecordNeedsBreakGlass() throws {
        let records = try TestVaults.create()
        _ = try records.importFiles([SharedData.synthea("6c8f3e83")])
        let id = try #require(records.search(PatientQuery(family: "bartell")).first?.patientID)
        try records.setRestricted(patientID: id, true)
        _ = try records.addUser(
            NewUser(loginName: "importer", displayName: "Im Porter", roles: ["clinician"],
                    password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: TestVaults.policy)
        records.close()

        let clinician = try TestVaults.signIn(records.location, login: "importer",
                                              password: Self.password)
        defer { clinician.close() }
        #expect(throws: VaultError.accessDenied(reason: "restricted-patient")) {
            _ = try clinician.importFile(SharedData.synthea("6c8f3e83"))
        }
        _ = try clinician.startBreakGlass(patientID: id, reason: .continuityOfCare, note: "merge")
        #expect(try clinician.importFile(SharedData.synthea("6c8f3e83")).unchanged == 134)
    }

    @Test func failedReauthenticationCountsTowardsLockout() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        for _ in 0..<5 {
            #expect(throws: VaultError.signInFailed) {
                try vault.reauthenticate(
                    password: SecureBytes(copying: Array("not my password at all".utf8)),
                    secondFactor: .totp("000000"))
            }
        }
        let trail = try vault.auditTail(count: 12)
        #expect(trail.filter { $0.action == .reauthenticate && $0.outcome == .failure }.count == 5)
        #expect(trail.contains { $0.reasonCode == "account-locked" && $0.severity == .alert })
    }

    @Test func breakGlassNeedsRecentAuthenticationAndARole() throws {
        let billing = try Self.signIn("billing")
        defer { billing.close() }
        #expect(throws: VaultError.accessDenied(reason: "permission-denied")) {
            _ = try billing.startBreakGlass(patientID: nil, reason: .patientSafety, note: "x")
        }
        let clinician = try Self.signIn("clinician")
        defer { clinician.close() }
        let start = clinician.clock()
        clinician.clock = { start + 4 * 60 }
        clinician.touch()
        clinician.clock = { start + 8 * 60 }
        #expect(throws: VaultError.reauthenticationRequired) {
            _ = try clinician.startBreakGlass(patientID: nil, reason: .patientSafety, note: "x")
        }
    }

    // MARK: - No secrets or PHI in the trail, spool, alerts or messages

    @Test func trailAlertsAndMessagesCarryNoSecretsOrPHI() throws {
        let vault = try TestVaults.create()
        let sink = TestVaults.temporaryDirectory() + "/alerts.log"
        vault.alertSink = .file(sink)
        _ = try vault.importFiles([SharedData.synthea("Gustavo")])
        let enrolment = try vault.addUser(
            NewUser(loginName: "nurse", displayName: "Canary Nursename", roles: ["clinician"],
                    password: SecureBytes(copying: Array(Self.password.utf8))),
            policy: TestVaults.policy)
        var messages: [String] = []
        let base = SignInClock.next()
        for attempt in 0..<6 {
            do {
                _ = try Vault.signIn(
                    at: vault.location, loginName: "nurse",
                    password: SecureBytes(copying: Array("Mejía wrong password".utf8)),
                    secondFactor: .totp("123456"), policy: TestVaults.policy, actor: "t",
                    alertSink: .file(sink), now: base + Double(attempt))
            } catch {
                messages.append("\(error)")
            }
        }
        let location = vault.location
        vault.close()

        var bytes: [UInt8] = Array(messages.joined(separator: "\n").utf8)
        bytes += Array(FileManager.default.contents(atPath: sink) ?? Data())
        for name in try FileManager.default.contentsOfDirectory(atPath: location.directory) {
            bytes += Array(
                FileManager.default.contents(atPath: location.directory + "/" + name) ?? Data())
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(FileManager.default.fileExists(atPath: sink))
        #expect(Canaries.found(in: bytes).isEmpty)
        for secret in [Self.password, "Mejía wrong password", "Canary Nursename", "nurse"]
            + enrolment.recoveryCodes
            + [String(enrolment.otpauthURI.split(separator: "=")[1].prefix(32))]
        {
            #expect(!text.contains(secret), "a secret or name leaked")
        }
    }
}
