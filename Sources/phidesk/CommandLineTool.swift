import Foundation
import PhideskAudit
import PhideskCrypto
import PhideskFHIR
import PhideskKeys
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
                    print(Help.main)
                    return ExitStatus.success
                }
                printError(Help.main)
                return ExitStatus.usage
            }
            if command == "help" {
                print(arguments.popOperand().flatMap { Help.commands[$0] } ?? Help.main)
                return ExitStatus.success
            }
            if arguments.has("-h", "--help") {
                print(Help.commands[command] ?? Help.main)
                return ExitStatus.success
            }
            return try dispatch(command, &arguments)
        } catch let error as UsageError {
            printError("phidesk: \(error.message) (see `phidesk --help`)")
            return ExitStatus.usage
        } catch VaultError.wrongPassphrase {
            printError("phidesk: \(VaultError.wrongPassphrase)")
            return ExitStatus.wrongPassphrase
        } catch let error as VaultError {
            printError("phidesk: \(error)")
            switch error {
            case .integrityFailure, .auditTrailDamaged: return ExitStatus.integrity
            default: break
            }
            return ExitStatus.failure
        } catch let error as any CustomStringConvertible & Error {
            printError("phidesk: \(error.description)")
            return ExitStatus.failure
        } catch {
            printError("phidesk: the operation failed (\(type(of: error)))")
            return ExitStatus.failure
        }
    }

    private func dispatch(_ command: String, _ arguments: inout Arguments) throws -> Int32 {
        switch command {
        case "init":
            try allow(arguments, [])
            return try initVault(arguments)
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
        default:
            throw UsageError("unknown command '\(command)'")
        }
    }

    /// Rejects options the command does not take (global options are always allowed).
    private func allow(_ arguments: Arguments, _ names: Set<String>) throws {
        let global: Set<String> = ["--vault", "--passphrase-file", "--passphrase-fd"]
        if let unknown = arguments.givenNames.subtracting(names).subtracting(global).first {
            throw UsageError("unknown option \(unknown)")
        }
    }

    // MARK: - Opening the vault

    private func location(_ arguments: Arguments) -> VaultLocation {
        if let directory = arguments.value("--vault") {
            return VaultLocation(directory: directory)
        }
        return VaultLocation.defaultLocation(environment: environment)
    }

    private func passphrase(_ arguments: Arguments, confirm: Bool = false) throws -> SecureBytes {
        try PassphraseInput.read(
            file: arguments.value("--passphrase-file") ?? environment["PHIDESK_PASSPHRASE_FILE"],
            descriptor: arguments.value("--passphrase-fd"),
            prompt: confirm ? "New vault passphrase: " : "Vault passphrase: ",
            confirm: confirm)
    }

    private func openVault(_ arguments: Arguments) throws -> Vault {
        let provider = PassphraseKeyProvider(passphrase: try passphrase(arguments))
        return try Vault.open(
            at: location(arguments), keyProvider: provider, actor: AuditClock.currentActor())
    }

    // MARK: - Commands

    private func initVault(_ arguments: Arguments) throws -> Int32 {
        let location = location(arguments)
        let provider = PassphraseKeyProvider(passphrase: try passphrase(arguments, confirm: true))
        let vault = try Vault.create(
            at: location, keyProvider: provider, actor: AuditClock.currentActor())
        vault.close()
        printError("phidesk: created a vault at \(location.directory)")
        return ExitStatus.success
    }

    private func importFiles(_ arguments: Arguments) throws -> Int32 {
        guard !arguments.operands.isEmpty else {
            throw UsageError("import needs at least one file or folder")
        }
        let files = try InputFiles.expand(arguments.operands)
        let vault = try openVault(arguments)
        defer { vault.close() }

        let progress = ProgressReporter(
            totalFiles: files.count, totalBytes: files.reduce(0) { $0 + $1.byteCount })
        defer { progress.finish() }
        var report = ImportReport()
        for file in files {
            let fileReport = try vault.importFile(file.path) { done, entries in
                progress.update(fileByteCount: file.byteCount, done: done, entries: entries)
            }
            report = report.merging(fileReport)
            progress.finishedFile(byteCount: file.byteCount, resources: fileReport.resources)
        }

        if arguments.has("--json") {
            try printJSON(report)
        } else {
            print(Output.importSummary(report))
        }
        return ExitStatus.success
    }

    private func search(_ arguments: Arguments) throws -> Int32 {
        var query = PatientQuery(
            name: arguments.operands.isEmpty ? nil : arguments.operands.joined(separator: " "),
            family: arguments.value("--family"), given: arguments.value("--given"),
            birthDate: arguments.value("--birth-date"),
            identifier: arguments.value("--identifier"))
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
            print(Output.searchTable(matches), terminator: "")
        }
        return ExitStatus.success
    }

    private func show(_ arguments: inout Arguments) throws -> Int32 {
        guard let patient = arguments.popOperand() else {
            throw UsageError("show needs a patient id (from `phidesk search`)")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let (chart, damaged) = try vault.chart(patientID: patient)

        if arguments.has("--json") {
            try printJSON(chart)
        } else {
            print(chart.renderText())
        }
        if !damaged.isEmpty {
            printError(
                "phidesk: \(damaged.count) record(s) failed their integrity check and were "
                    + "left out: \(damaged.joined(separator: ", "))")
            return ExitStatus.integrity
        }
        return ExitStatus.success
    }

    private func export(_ arguments: inout Arguments) throws -> Int32 {
        guard let patient = arguments.popOperand() else {
            throw UsageError("export needs a patient id (from `phidesk search`)")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let bundle = try vault.export(patientID: patient)

        if let output = arguments.value("--output", "-o"), output != "-" {
            try Output.writePrivateFile(output, bundle)
        } else {
            FileHandle.standardOutput.write(Data(bundle))
            print()
        }
        return ExitStatus.success
    }

    private func audit(_ arguments: inout Arguments) throws -> Int32 {
        let subcommand = arguments.popOperand()
        switch subcommand {
        case "verify":
            let vault = try openVault(arguments)
            defer { vault.close() }
            let verification = try vault.verifyAudit()
            if arguments.has("--json") {
                try printJSON(Output.VerificationJSON(verification))
            } else {
                print(Output.verificationLine(verification))
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
                print(Output.auditTable(events), terminator: "")
            }
            return ExitStatus.success
        default:
            throw UsageError("audit needs `verify` or `tail`")
        }
    }

    private func vault(_ arguments: inout Arguments) throws -> Int32 {
        guard arguments.popOperand() == "check" else {
            throw UsageError("vault needs `check`")
        }
        let vault = try openVault(arguments)
        defer { vault.close() }
        let report = try vault.check()
        if arguments.has("--json") {
            try printJSON(Output.CheckJSON(report))
        } else {
            print(Output.checkSummary(report))
        }
        return report.isHealthy ? ExitStatus.success : ExitStatus.integrity
    }

    // MARK: - Output helpers

    private func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        print()
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
