import Foundation
import Testing

@testable import PhideskVault

#if canImport(Glibc)
import Glibc
#endif

/// The CLI as a user meets it: help, exit statuses, stdout for data, stderr for messages.
@Suite("phidesk command line")
struct CommandLineTests {
    /// A private folder with passphrase and password files, a session folder and the
    /// test policy, as environment variables for the binary.
    static func environment() -> (env: [String: String], directory: String) {
        let directory = TestVaults.temporaryDirectory()
        _ = FileManager.default.createFile(
            atPath: directory + "/passphrase",
            contents: Data((TestVaults.passphrase + "\n").utf8))
        _ = FileManager.default.createFile(
            atPath: directory + "/password",
            contents: Data((TestVaults.userPassword + "\n").utf8))
        try! FileManager.default.createDirectory(
            atPath: directory + "/run", withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return ([
            "PHIDESK_VAULT": directory + "/vault",
            "PHIDESK_PASSPHRASE_FILE": directory + "/passphrase",
            "PHIDESK_PASSWORD_FILE": directory + "/password",
            "XDG_RUNTIME_DIR": directory + "/run",
            "PHIDESK_POLICY": TestVaults.policyFile,
        ], directory)
    }

    /// An environment with a vault and a signed-in `records` user, as `phidesk login`
    /// would leave it.
    static func signedIn() throws -> (env: [String: String], directory: String) {
        let (env, directory) = environment()
        let vault = try TestVaults.create(at: VaultLocation(directory: directory + "/vault"))
        defer { vault.close() }
        try TestVaults.saveCommandLineSession(vault, environment: env)
        return (env, directory)
    }

    @Test func helpIsShortExactAndExampleLed() throws {
        let result = try PhideskProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW: Keep FHIR R4 health records"))
        #expect(result.stdout.contains("EXAMPLES:"))
        #expect(result.stdout.contains("EXIT STATUS:"))
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })

        let importHelp = try PhideskProcess.run(["import", "--help"])
        #expect(importHelp.stdout.hasPrefix("USAGE: phidesk import"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try PhideskProcess.run([]).status == 2)
        let unknown = try PhideskProcess.run(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown command"))
        #expect(try PhideskProcess.run(["search", "--bogus"]).status == 2)
        #expect(try PhideskProcess.run(["search"]).status == 2)
    }

    /// init (first administrator), login, user add, login as the new clinician, import,
    /// search, show, export, then the administrator checks the trail.
    @Test func fullWorkflowThroughTheBinary() throws {
        let (env, directory) = Self.environment()
        let location = VaultLocation(directory: directory + "/vault")
        let initResult = try PhideskProcess.run(["init", "boss", "--name", "Ada"], environment: env)
        #expect(initResult.status == 0)
        #expect(initResult.stdout.contains("otpauth://totp/phidesk:boss?secret="))
        #expect(initResult.stdout.contains("Recovery codes"))

        let adminCode = try TestVaults.totpCode(location, login: "boss", at: Date())
        let adminLogin = try PhideskProcess.run(
            ["login", "boss", "--code", adminCode], environment: env)
        #expect(adminLogin.status == 0, "\(adminLogin.stderr)")
        let added = try PhideskProcess.run(
            ["user", "add", "nurse", "--name", "N. Nurse", "--role", "clinician"], environment: env)
        #expect(added.status == 0, "\(added.stderr)")

        let nurseCode = try TestVaults.totpCode(location, login: "nurse", at: Date())
        #expect(try PhideskProcess.run(["login", "nurse", "--code", nurseCode], environment: env)
            .status == 0)
        let whoami = try PhideskProcess.run(["whoami"], environment: env)
        #expect(whoami.stdout.contains("role clinician"))

        let imported = try PhideskProcess.run(
            ["import", "--json", SharedData.synthea("Gustavo")], environment: env)
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("\"created\" : 78"))
        #expect(imported.stderr.isEmpty, "progress only on a terminal")

        let search = try PhideskProcess.run(["search", "mejia", "--json"], environment: env)
        #expect(search.status == 0)
        let matches = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8))
            as! [[String: Any]]
        #expect(matches.count == 1)
        #expect(matches[0]["displayName"] as? String == "Gustavo Mejía")
        let id = matches[0]["patientID"] as! String

        let show = try PhideskProcess.run(["show", id], environment: env)
        #expect(show.status == 0)
        #expect(show.stdout.hasPrefix("Gustavo Mejía"))

        let export = try PhideskProcess.run(["export", id, "-o", directory + "/out.json"],
                                            environment: env)
        #expect(export.status == 0)
        let exported = try FileManager.default.attributesOfItem(atPath: directory + "/out.json")
        #expect((exported[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // The clinician may not read the audit trail; the administrator may.
        #expect(try PhideskProcess.run(["audit", "verify"], environment: env).status == 1)
        let adminAgain = try TestVaults.totpCode(location, login: "boss", at: Date() + 30)
        #expect(try PhideskProcess.run(["login", "boss", "--code", adminAgain], environment: env)
            .status == 0)
        let verify = try PhideskProcess.run(["audit", "verify", "--json"], environment: env)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("\"intact\" : true"))

        let tail = try PhideskProcess.run(["audit", "tail", "-n", "3"], environment: env)
        #expect(tail.status == 0)
        #expect(tail.stdout.split(separator: "\n").count == 3)
        #expect(Canaries.found(in: Array(tail.stdout.utf8)).isEmpty)

        let check = try PhideskProcess.run(["vault", "check"], environment: env)
        #expect(check.status == 0)
        #expect(check.stdout.hasSuffix("vault OK\n"))

        #expect(try PhideskProcess.run(["logout"], environment: env).status == 0)
        let after = try PhideskProcess.run(["search", "mejia"], environment: env)
        #expect(after.status == 1)
        #expect(after.stderr.contains("not signed in"))
    }

    @Test func wrongPasswordExitsWithThreeAndSaysNoMore() throws {
        let (env, directory) = try Self.signedIn()
        _ = FileManager.default.createFile(
            atPath: directory + "/wrong", contents: Data("a different password\n".utf8))
        var wrong = env
        wrong["PHIDESK_PASSWORD_FILE"] = directory + "/wrong"

        let result = try PhideskProcess.run(["login", "tester", "--code", "123456"],
                                            environment: wrong)
        #expect(result.status == 3)
        #expect(
            result.stderr.contains("sign-in failed: unknown user, wrong password or wrong code"))
        let unknown = try PhideskProcess.run(["login", "nobody", "--code", "123456"],
                                             environment: wrong)
        #expect(unknown.status == 3)
        #expect(unknown.stderr == result.stderr, "no user enumeration")
        #expect(result.stdout.isEmpty)
    }

    @Test func missingCodeWithoutTerminalNamesTheCodeOption() throws {
        let (env, _) = try Self.signedIn()
        // setsid: no controlling terminal, as under cron or a CI job.
        let result = try PhideskProcess.run(
            ["login", "tester"], environment: env, through: ["/usr/bin/setsid", "-w"])

        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "no authenticator code: give it with --code CODE (no terminal to prompt on)"))
        #expect(!result.stderr.contains("passphrase"))
    }

    /// A break-glass note is read no further than its limit, from a file or stdin, and an
    /// empty or non-UTF-8 note gets its own message. Nothing is started.
    @Test func breakGlassNotesAreBoundedAndChecked() throws {
        let (env, directory) = try Self.signedIn()
        let invalid = directory + "/invalid-utf8"
        _ = FileManager.default.createFile(
            atPath: invalid, contents: Data(repeating: 0xFF, count: 3000))
        let empty = directory + "/empty"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let start = ["breakglass", "start", "--reason", "patient-safety"]

        let cases: [(arguments: [String], input: String?, message: String)] = [
            (start, "/dev/zero", "the note: a note is at most 8192 bytes"),
            (start + ["--note-file", "/dev/zero"], nil, "/dev/zero: a note is at most 8192 bytes"),
            (start + ["--note-file", invalid], nil, "a note must be UTF-8 text"),
            (start + ["--note-file", empty], nil,
             "the note is empty: type it when asked, or give --note-file FILE"),
            (start, nil, "the note is empty: type it when asked, or give --note-file FILE"),
        ]
        for (arguments, input, message) in cases {
            let result = try PhideskProcess.run(arguments, environment: env, input: input)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func badInputMessageNamesFileAndPathButNoPHI() throws {
        let (env, directory) = try Self.signedIn()
        let file = directory + "/broken.json"
        _ = FileManager.default.createFile(
            atPath: file,
            contents: Data(
                #"{"resourceType":"Bundle","entry":[{"resource":{"id":"Mejía"}}]}"#.utf8))

        let result = try PhideskProcess.run(["import", file], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains(file))
        #expect(result.stderr.contains("$.entry[0].resource.resourceType"))
        #expect(!result.stderr.contains("Mejía"))
    }

    @Test func exportNeverReplacesLinksAndWritesThroughDevices() throws {
        let (env, directory) = try Self.signedIn()
        _ = try PhideskProcess.run(["import", SharedData.synthea("Gustavo")], environment: env)
        let search = try PhideskProcess.run(["search", "mejia", "--json"], environment: env)
        let id = try #require(search.stdout.split(separator: "\"").dropFirst().first {
            $0.count == 32 && $0.allSatisfy(\.isHexDigit)
        })

        try FileManager.default.createSymbolicLink(
            atPath: directory + "/link", withDestinationPath: directory + "/target")
        let linked = try PhideskProcess.run(["export", String(id), "-o", directory + "/link"],
                                            environment: env)
        #expect(linked.status == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/target"))

        let devnull = try PhideskProcess.run(["export", String(id), "-o", "/dev/null"],
                                             environment: env)
        #expect(devnull.status == 0)
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func controlCharactersFromRecordsDoNotReachTheTerminal() throws {
        let (env, directory) = try Self.signedIn()
        let file = directory + "/escape.json"
        _ = FileManager.default.createFile(
            atPath: file,
            contents: Data(
                (#"{"resourceType":"Patient","id":"esc","#
                    + #""name":[{"family":"Esc\u001b[2Jape","given":["Zed"]}]}"#).utf8))
        #expect(try PhideskProcess.run(["import", file], environment: env).status == 0)

        let result = try PhideskProcess.run(["search", "zed"], environment: env)
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(result.stdout.contains("Esc [2Jape"))
        #expect(result.stdout.split(separator: "\n").count == 1, "one line per patient")
    }

    @Test func aBadFileInAFolderDoesNotStopTheOthers() throws {
        let (env, directory) = try Self.signedIn()
        let folder = directory + "/mixed"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: SharedData.synthea("6c8f3e83"), toPath: folder + "/a.json")
        _ = FileManager.default.createFile(atPath: folder + "/b.json", contents: Data("{".utf8))
        try FileManager.default.copyItem(
            atPath: SharedData.synthea("8a4c9c04"), toPath: folder + "/c.json")

        let result = try PhideskProcess.run(["import", folder], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains(folder + "/b.json"))
        #expect(result.stderr.contains("1 of 3 file(s) were not imported"))
        #expect(result.stdout.contains("imported 2 file(s)"))
    }

    @Test func tooShortPassphraseIsRefusedAtInit() throws {
        let (env, directory) = Self.environment()
        _ = FileManager.default.createFile(
            atPath: directory + "/short", contents: Data("short\n".utf8))
        var short = env
        short["PHIDESK_PASSPHRASE_FILE"] = directory + "/short"
        let result = try PhideskProcess.run(["init"], environment: short)
        #expect(result.status == 1)
        #expect(result.stderr.contains("at least 12"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/vault"))

        // A refused administrator password leaves no vault behind either.
        _ = FileManager.default.createFile(
            atPath: directory + "/weak", contents: Data("password1234\n".utf8))
        var weak = env
        weak["PHIDESK_PASSWORD_FILE"] = directory + "/weak"
        let refused = try PhideskProcess.run(["init"], environment: weak)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the password is not acceptable"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/vault"))
    }
}
