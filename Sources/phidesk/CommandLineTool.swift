import Foundation
import PhideskAudit
import PhideskCrypto
import PhideskFHIR
import PhideskKeys
import PhideskPolicy
import PhideskVault

#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses, documented in `phidesk --help`.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let wrongPassphrase: Int32 = 3
    static let integrity: Int32 = 4
}

/// Dispatches a command line to the vault. Data goes to stdout, messages to stderr.
struct CommandLineTool {
    let environment: [String: String]

    func run(_ argv: [String]) -> Int32 {
        do {
            var arguments = try Arguments(argv)
            guard let command = arguments.popOperand() else {
                if arguments.has("-h", "--help") {
                    try TerminalOutput.standardOutput(Help.main + "\n")
                    return ExitStatus.success
                }
                printError(Help.main)
                return ExitStatus.usage
            }
            if command == "help" {
                guard let topic = arguments.popOperand() else {
                    try TerminalOutput.standardOutput(Help.main + "\n")
                    return ExitStatus.success
                }
                guard let text = Help.commands[topic] else {
                    throw UsageError("no help for '\(topic)'")
                }
                try TerminalOutput.standardOutput(text + "\n")
                return ExitStatus.success
            }
            if arguments.has("-h", "--help") {
                guard let text = Help.commands[command] else {
                    throw UsageError("unknown command '\(command)'")
                }
                try TerminalOutput.standardOutput(text + "\n")
                return ExitStatus.success
            }
            return try dispatch(command, &arguments)
        } catch let error as UsageError {
            printError("phidesk: \(error.message) (see `phidesk --help`)")
            return ExitStatus.usage
        } catch let error as VaultError where [.wrongPassphrase, .signInFailed].contains(error) {
            printError("phidesk: \(error)")
            return ExitStatus.wrongPassphrase
        } catch let error as VaultError {
            printError("phidesk: \(error)")
            switch error {
            case .integrityFailure, .auditTrailDamaged: return ExitStatus.integrity
            default: break
            }
            return ExitStatus.failure
        } catch let error as KeyError {
            printError("phidesk: \(error)")
            if case .dataKeyUnwrapFailed = error { return ExitStatus.integrity }
            return ExitStatus.failure
        } catch let error as any CustomStringConvertible & Error {
            printError("phidesk: \(error.description)")
            return ExitStatus.failure
        } catch {
            printError("phidesk: the operation failed (\(type(of: error)))")
            return ExitStatus.failure
        }
    }

    func dispatch(_ command: String, _ arguments: inout Arguments) throws -> Int32 {
        switch command {
        case "init":
            try allow(arguments, ["--name", "--password-file", "--password-fd"])
            return try initVault(&arguments)
        case "import":
            try allow(arguments, ["--json"])
            return try importFiles(arguments)
        case "search":
            try allow(
                arguments,
                ["--family", "--given", "--birth-date", "--identifier", "--limit", "--json"])
            return try search(arguments)
        case "show":
            try allow(arguments, ["--json"])
            return try show(&arguments)
        case "export":
            try allow(arguments, ["--output", "-o"])
            return try export(&arguments)
        case "audit":
            try allow(arguments, ["--json", "-n"])
            return try audit(&arguments)
        case "vault":
            try allow(arguments, ["--json"])
            return try vault(&arguments)
        case "login":
            try allow(arguments, ["--password-file", "--password-fd", "--code", "--role",
                                  "--recovery-code"])
            return try login(&arguments)
        case "logout":
            try allow(arguments, [])
            return try logout(arguments)
        case "reauth":
            try allow(arguments, ["--password-file", "--password-fd", "--code"])
            return try reauthenticate(arguments)
        case "whoami":
            try allow(arguments, ["--json"])
            return try whoami(arguments)
        case "user":
            try allow(arguments, ["--name", "--role", "--password-file", "--password-fd",
                                  "--json"])
            return try user(&arguments)
        case "breakglass":
            try allow(arguments, ["--patient", "--reason", "--note-file", "--close", "--all",
                                  "--json", "--minutes"])
            return try breakGlass(&arguments)
        case "patient":
            try allow(arguments, [])
            return try patient(&arguments)
        case "policy":
            try allow(arguments, [])
            return try policyCheck(&arguments)
        case "settings":
            try allow(arguments, [])
            return try settings(&arguments)
        default:
            throw UsageError("unknown command '\(command)'")
        }
    }

    /// Rejects options the command does not take (global options are always allowed).
    func allow(_ arguments: Arguments, _ names: Set<String>) throws {
        let global: Set<String> = [
            "--vault", "--passphrase-file", "--passphrase-fd", "--policy",
        ]
        if let unknown = arguments.givenNames.subtracting(names).subtracting(global).first {
            throw UsageError("unknown option \(unknown)")
        }
    }

    // MARK: - Opening the vault

    func location(_ arguments: Arguments) throws -> VaultLocation {
        if let directory = arguments.value("--vault") {
            guard !directory.isEmpty else { throw UsageError("--vault needs a folder") }
            return VaultLocation(directory: directory)
        }
        return VaultLocation.defaultLocation(environment: environment)
    }

    /// Command-line options win over the environment; giving both options is an error.
    func passphrase(_ arguments: Arguments, confirm: Bool = false) throws -> SecureBytes {
        let file = arguments.value("--passphrase-file")
        let descriptor = arguments.value("--passphrase-fd")
        if file != nil && descriptor != nil {
            throw UsageError("give --passphrase-file or --passphrase-fd, not both")
        }
        return try PassphraseInput.read(
            file: file ?? (descriptor == nil ? environment["PHIDESK_PASSPHRASE_FILE"] : nil),
            descriptor: descriptor,
            prompt: confirm ? "New installation passphrase: " : "Installation passphrase: ",
            repeatPrompt: confirm ? "Repeat passphrase: " : nil)
    }

    /// The vault under the signed-in session (see `phidesk login`).
    func openVault(_ arguments: Arguments) throws -> Vault {
        try CommandLineSession.resume(
            at: try location(arguments), policy: try policy(arguments),
            actor: AuditClock.currentActor(), environment: environment,
            alertSink: AlertSink.fromEnvironment(environment))
    }

    /// The role policy: `--policy FILE`, else `$PHIDESK_POLICY`, else the one shipped with
    /// phidesk. Loaded and validated by every command, so a bad policy stops everything.
    func policy(_ arguments: Arguments) throws -> AccessPolicy {
        if let path = arguments.value("--policy") ?? environment["PHIDESK_POLICY"] {
            return try AccessPolicy.load(contentsOf: URL(fileURLWithPath: path))
        }
        return try AccessPolicy.bundledDefault()
    }

    // MARK: - Commands

    func importFiles(_ arguments: Arguments) throws -> Int32 {
        guard !arguments.operands.isEmpty else {
            throw UsageError("import needs at least one file or folder")
        }
        let files = try InputFiles.expand(arguments.operands)
        let vault = try openVault(arguments)
        defer { vault.close() }

        let progress = ProgressReporter(
            totalFiles: files.count, totalBytes: files.reduce(0) { $0 + $1.byteCount })
        var report = ImportReport()
        var failed: [String] = []
        for file in files {
            do {
                let fileReport = try vault.importFile(file.path) { done, entries in
                    progress.update(fileByteCount: file.byteCount, done: done, entries: entries)
                }
                report = report.merging(fileReport)
                progress.finishedFile(byteCount: file.byteCount, resources: fileReport.resources)
            } catch let error as VaultError where error.isInputError {
                // Each file is all-or-nothing; a bad one does not stop the others.
                progress.finish()
                printError("phidesk: \(error)")
                failed.append(file.path)
                progress.finishedFile(byteCount: file.byteCount, resources: 0)
            }
        }
        progress.finish()

        if arguments.has("--json") {
            try printJSON(report)
        } else {
            try TerminalOutput.standardOutput(Output.importSummary(report) + "\n")
        }
        guard failed.isEmpty else {
            printError(
                "phidesk: \(failed.count) of \(files.count) file(s) were not imported (see above); "
                    + "the other \(files.count - failed.count) were")
            return ExitStatus.failure
        }
        return ExitStatus.success
    }

    func search(_ arguments: Arguments) throws -> Int32 {
        var query = PatientQuery(
            name: arguments.operands.isEmpty ? nil : arguments.operands.joined(separator: " "),
            family: arguments.value("--family"), given: arguments.value("--given"),
            birthDate: arguments.value("--birth-date"),
            identifier: arguments.value("--identifier"))
        if let birthDate = query.birthDate, SearchNormalizer.birthDateKey(birthDate) == nil {
            throw UsageError("--birth-date takes YYYY-MM-DD, YYYY-MM or YYYY")
        }
        if let limit = arguments.value("--limit") {
            guard let value = Int(limit), value > 0 else {
                throw UsageError("--limit needs a positive number")
            }
            query.limit = value
        }
        if query.isEmpty {
            throw UsageError("search needs a name or a criterion")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let matches = try vault.search(query)

        if arguments.has("--json") {
            try printJSON(matches)
        } else {
            try TerminalOutput.standardOutput(
                TerminalOutput.sanitized(Output.searchTable(matches)))
        }
        return ExitStatus.success
    }

    func show(_ arguments: inout Arguments) throws -> Int32 {
        guard let patient = arguments.popOperand() else {
            throw UsageError("show needs a patient id (from `phidesk search`)")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let (chart, damaged) = try vault.chart(patientID: patient)

        if arguments.has("--json") {
            try printJSON(chart)
        } else {
            try TerminalOutput.standardOutput(TerminalOutput.sanitized(chart.renderText()) + "\n")
        }
        if !damaged.isEmpty {
            printError(
                "phidesk: \(damaged.count) record(s) failed their integrity check and were "
                    + "left out: \(damaged.joined(separator: ", "))")
            return ExitStatus.integrity
        }
        return ExitStatus.success
    }

    func export(_ arguments: inout Arguments) throws -> Int32 {
        guard let patient = arguments.popOperand() else {
            throw UsageError("export needs a patient id (from `phidesk search`)")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let bundle = try vault.export(patientID: patient)

        if let output = arguments.value("--output", "-o"), output != "-" {
            try TerminalOutput.writeExport(bundle + [UInt8(ascii: "\n")], to: output)
        } else {
            try TerminalOutput.standardOutput(bundle + [UInt8(ascii: "\n")])
        }
        return ExitStatus.success
    }

    func audit(_ arguments: inout Arguments) throws -> Int32 {
        let subcommand = arguments.popOperand()
        switch subcommand {
        case "verify":
            let vault = try openVault(arguments)
            defer { vault.close() }
            let verification = try vault.verifyAudit()
            if arguments.has("--json") {
                try printJSON(Output.VerificationJSON(verification))
            } else {
                try TerminalOutput.standardOutput(Output.verificationLine(verification) + "\n")
            }
            return verification.isIntact ? ExitStatus.success : ExitStatus.integrity
        case "tail":
            var count = 20
            if let text = arguments.value("-n") {
                guard let value = Int(text), value > 0 else {
                    throw UsageError("-n needs a positive number")
                }
                count = value
            }
            let vault = try openVault(arguments)
            defer { vault.close() }
            let events = try vault.auditTail(count: count)
            if arguments.has("--json") {
                try printJSON(events)
            } else {
                try TerminalOutput.standardOutput(Output.auditTable(events))
            }
            return ExitStatus.success
        default:
            throw UsageError("audit needs `verify` or `tail`")
        }
    }

    func vault(_ arguments: inout Arguments) throws -> Int32 {
        guard arguments.popOperand() == "check" else {
            throw UsageError("vault needs `check`")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let report = try vault.check()
        if arguments.has("--json") {
            try printJSON(Output.CheckJSON(report))
        } else {
            try TerminalOutput.standardOutput(Output.checkSummary(report) + "\n")
        }
        return report.isHealthy ? ExitStatus.success : ExitStatus.integrity
    }

    // MARK: - Output helpers

    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try TerminalOutput.standardOutput(Array(try encoder.encode(value)) + [UInt8(ascii: "\n")])
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
