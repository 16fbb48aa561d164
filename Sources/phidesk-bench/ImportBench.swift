import Foundation
import PhideskFHIR
@_spi(Benchmarks) import PhideskVault

/// Benchmark 2: importing the largest shared bundle, and import plus a chart read with
/// encryption against the identical path with records stored in plaintext.
struct ImportBench {
    let quick: Bool
    let data: SharedData
    let scratch: Scratch

    static let rateTarget = 10_000.0
    static let ratioTarget = 1.15

    private struct Sample {
        var resources: Int
        var importSeconds: Double
        var readSeconds: Double
        var total: Double { importSeconds + readSeconds }
    }

    func run() throws -> BenchmarkSection {
        var section = BenchmarkSection(title: "2. Import of the largest bundle")
        let runs = quick ? 2 : 15
        let identifier = try BenchVaults.patientIdentifier(bundle: data.largestBundle)
        var encrypted: [Sample] = []
        var plaintext: [Sample] = []
        // Alternating modes spreads the noise of other processes over both.
        for run in 1...runs {
            Progress.say("import run \(run)/\(runs): encrypted")
            encrypted.append(try sample(plaintext: false, identifier: identifier))
            Progress.say("import run \(run)/\(runs): plaintext baseline")
            plaintext.append(try sample(plaintext: true, identifier: identifier))
        }

        let resources = encrypted[0].resources
        let importTime = Stats.median(encrypted.map(\.importSeconds))
        let rate = Double(resources) / importTime
        section.rows.append(ReportRow("Resources in the bundle", Format.grouped(resources)))
        section.rows.append(
            ReportRow("Import time, encrypted (median of \(runs))",
                Format.milliseconds(importTime)))
        section.rows.append(
            .judged(
                "Import rate, encrypted", Format.fixed(rate, 0) + " resources/s",
                target: "≥ 10,000 resources/s", passed: rate >= Self.rateTarget))

        let parse = try parseSeconds(runs: runs)
        section.rows.append(
            ReportRow("… of which read + parse + FHIR decode alone (median, measured apart)",
                Format.milliseconds(parse) + " (" + Format.fixed(100 * parse / importTime, 0)
                    + "% of import)"))

        let plainImport = Stats.median(plaintext.map(\.importSeconds))
        section.rows.append(
            ReportRow("Import time, plaintext baseline (median)",
                Format.milliseconds(plainImport)))
        section.rows.append(
            ReportRow("Chart read, encrypted / plaintext (median)",
                Format.milliseconds(Stats.median(encrypted.map(\.readSeconds))) + " / "
                    + Format.milliseconds(Stats.median(plaintext.map(\.readSeconds)))))

        let withCrypto = Stats.median(encrypted.map(\.total))
        let withoutCrypto = Stats.median(plaintext.map(\.total))
        section.rows.append(
            ReportRow("Import + read, encrypted / plaintext (median)",
                Format.milliseconds(withCrypto) + " / " + Format.milliseconds(withoutCrypto)))
        let ratio = withCrypto / withoutCrypto
        section.rows.append(
            .judged(
                "Import + read, encrypted ÷ plaintext", Format.fixed(ratio, 3),
                target: "≤ 1.15", passed: ratio <= Self.ratioTarget))
        section.notes = [
            "Each run uses a fresh vault; the hospital and practitioner bundles the patient "
                + "bundle references are imported first, untimed.",
            "Import is `Vault.importFile` (read file, parse, resolve references, seal, one "
                + "durable SQLite transaction with its audit event). Read is "
                + "`Vault.chart(patientID:)` after reopening the vault (its audit event "
                + "commits durably too).",
            "Plaintext baseline: `insecurePlaintextRecordsForBenchmarks` (same path, records "
                + "not encrypted); data keys are still created and wrapped.",
            "Per-run import ms, encrypted: " + list(encrypted.map(\.importSeconds))
                + "; plaintext: " + list(plaintext.map(\.importSeconds)) + ".",
        ]
        return section
    }

    /// Reading the file and `FHIRInput.decode` (json-c parse, then one compact copy of
    /// each resource) on their own: the part of an import that neither crypto nor SQLite
    /// touches, measured without any hook in the vault.
    private func parseSeconds(runs: Int) throws -> Double {
        var samples: [Double] = []
        for _ in 0..<runs {
            samples.append(
                try Stopwatch.seconds {
                    let url = URL(fileURLWithPath: data.largestBundle)
                    let bytes = Array(try Data(contentsOf: url))
                    let input = try FHIRInput.decode(bytes)
                    guard !input.entries.isEmpty else { throw BenchError("empty bundle") }
                })
        }
        return Stats.median(samples)
    }

    private func list(_ seconds: [Double]) -> String {
        seconds.map { Format.fixed($0 * 1000, 1) }.joined(separator: ", ")
    }

    private func sample(plaintext: Bool, identifier: String) throws -> Sample {
        var vault = try BenchVaults.create(in: scratch, plaintext: plaintext)
        for bundle in data.infoBundles {
            _ = try vault.importFile(bundle)
        }
        let (report, importSeconds) = try Stopwatch.time {
            try vault.importFile(data.largestBundle)
        }
        // Finding the id is a search, not part of reading a chart, so it stays untimed;
        // the reopen drops cached keys so the read unwraps its key as a real one would.
        let patientID = try BenchVaults.patientID(in: vault, identifier: identifier)
        vault = try BenchVaults.reopen(vault)
        let (chart, readSeconds) = try Stopwatch.time { try vault.chart(patientID: patientID) }
        guard chart.damaged.isEmpty else { throw BenchError("chart read found damage") }
        vault.close()
        return Sample(
            resources: report.resources, importSeconds: importSeconds, readSeconds: readSeconds)
    }
}
