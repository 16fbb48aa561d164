import Foundation

/// Runs every benchmark in order and writes the report. A benchmark that throws is
/// reported as failed and the others still run.
struct BenchmarkRun {
    let arguments: Arguments

    func run() -> Int32 {
        let started = ContinuousClock().now
        let data: SharedData
        let scratch: Scratch
        do {
            data = try SharedData.locate()
            scratch = try Scratch()
        } catch {
            Progress.say("\(error)")
            return 1
        }
        defer { scratch.remove() }

        let quick = arguments.quick
        Progress.say(quick ? "quick run" : "full run")
        var report = Report(
            command: CommandLine.arguments.joined(separator: " "),
            date: ISO8601DateFormatter().string(from: Date()),
            mode: (quick ? "quick (reduced sizes; smoke test only)" : "full")
                + (arguments.only.isEmpty ? ""
                    : "; sections " + arguments.only.sorted().map(String.init)
                        .joined(separator: ", ") + " only"),
            machine: Machine.describe(scratch: scratch.path))

        let benchmarks: [(String, () throws -> BenchmarkSection)] = [
            ("1. AES-256-GCM throughput", { try CryptoBench(quick: quick).run() }),
            ("2. Import of the largest bundle", {
                try ImportBench(quick: quick, data: data, scratch: scratch).run()
            }),
            ("3. Search", { try SearchBench(quick: quick, data: data, scratch: scratch).run() }),
            ("4. Chart of the largest patient", {
                try ChartBench(quick: quick, data: data, scratch: scratch).run()
            }),
            ("5. Audit trail", { try AuditBench(quick: quick, scratch: scratch).run() }),
            ("6. Argon2id key derivation (no target)", { try Argon2Bench(quick: quick).run() }),
            (DesktopBench.title, { try DesktopBench(quick: quick, scratch: scratch).run() }),
        ]
        for (number, (title, benchmark)) in zip(1..., benchmarks) {
            if !arguments.only.isEmpty && !arguments.only.contains(number) { continue }
            do {
                report.sections.append(try benchmark())
            } catch {
                report.sections.append(failed(title, error))
            }
        }

        report.elapsedSeconds = Stopwatch.seconds(ContinuousClock().now - started)
        do {
            try Data(report.markdown().utf8).write(to: URL(fileURLWithPath: arguments.output))
        } catch {
            Progress.say("cannot write the report")
            return 1
        }
        Progress.say(
            "done in \(Format.fixed(report.elapsedSeconds, 1)) s; report written")
        return 0
    }

    /// Only the error's type is shown for product errors: their messages may name the
    /// input file, and patient bundle names contain patient names.
    private func failed(_ title: String, _ error: any Error) -> BenchmarkSection {
        let detail = error is BenchError ? "\(error)" : "\(type(of: error))"
        Progress.say("\(title) failed: \(detail)")
        var section = BenchmarkSection(title: title)
        section.rows.append(ReportRow("Error", detail, target: "runs", verdict: .fail))
        return section
    }
}
