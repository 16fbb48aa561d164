import PhideskVault

/// Benchmark 4: opening the chart of the patient with the most resources.
struct ChartBench {
    let quick: Bool
    let data: SharedData
    let scratch: Scratch

    static let target = 0.100

    func run() throws -> BenchmarkSection {
        var section = BenchmarkSection(title: "4. Chart of the largest patient")
        Progress.say("chart: building the vault")
        var vault = try BenchVaults.create(in: scratch)
        for bundle in data.infoBundles + [data.largestBundle] {
            _ = try vault.importFile(bundle)
        }
        let identifier = try BenchVaults.patientIdentifier(bundle: data.largestBundle)
        let patientID = try BenchVaults.patientID(in: vault, identifier: identifier)
        vault = try BenchVaults.reopen(vault)
        defer { vault.close() }

        let runs = quick ? 5 : 15
        var samples: [Double] = []
        var resources = 0
        for run in 1...runs {
            if run == 1 || run == runs { Progress.say("chart: run \(run)/\(runs)") }
            let (chart, seconds) = try Stopwatch.time { try vault.chart(patientID: patientID) }
            guard chart.damaged.isEmpty else { throw BenchError("chart read found damage") }
            resources = chart.chart.totalResources
            samples.append(seconds)
        }
        let median = Stats.median(samples)
        section.rows.append(ReportRow("Resources read per chart", Format.grouped(resources)))
        section.rows.append(ReportRow("First chart after unlock", Format.milliseconds(samples[0])))
        section.rows.append(
            .judged(
                "`Vault.chart(patientID:)` (median of \(runs))", Format.milliseconds(median),
                target: "≤ 100 ms", passed: median <= Self.target))
        section.rows.append(
            ReportRow("p95", Format.milliseconds(Stats.percentile(samples, 95))))
        section.notes = [
            "Includes reading and decrypting every record of the patient, building the "
                + "summary, and the durable audit event of the read.",
        ]
        return section
    }
}
