import PhideskVault

/// Benchmark 3: patient search over many patients, per query shape.
struct SearchBench {
    let quick: Bool
    let data: SharedData
    let scratch: Scratch

    static let target = 0.002

    private enum Kind: String, CaseIterable {
        case family = "family name"
        case givenAndBirthDate = "given name + birth date"
        case identifier = "identifier"
        case noMatch = "identifier, no match"
    }

    func run() throws -> BenchmarkSection {
        let patients = quick ? 1_000 : 10_000
        var section = BenchmarkSection(
            title: "3. Search over \(Format.grouped(patients)) patients")

        Progress.say("search: writing \(patients) synthetic patients")
        let synthetic = try SyntheticPatients.write(
            total: patients, from: data.patientBundles, into: scratch)
        var vault = try BenchVaults.create(in: scratch)
        Progress.say("search: importing them")
        let importSeconds = try Stopwatch.seconds {
            for file in synthetic.bundleFiles {
                _ = try vault.importFile(file)
            }
        }
        vault = try BenchVaults.reopen(vault)
        defer { vault.close() }

        // One untimed round first: it unwraps the data keys of the hits once, which a
        // session pays only on its first queries.
        _ = try round(vault, synthetic.terms, iteration: 0)
        let rounds = quick ? 10 : 30
        Progress.say("search: \(rounds) rounds of \(synthetic.terms.count * 4) queries")
        var samples: [Kind: [Double]] = [:]
        for iteration in 1...rounds {
            for (kind, seconds) in try round(vault, synthetic.terms, iteration: iteration) {
                samples[kind, default: []].append(seconds)
            }
        }

        let all = Kind.allCases.filter { $0 != .noMatch }.flatMap { samples[$0] ?? [] }
        let p50 = Stats.median(all)
        section.rows.append(
            .judged(
                "All matching queries, p50 (\(all.count) searches)", Format.milliseconds(p50),
                target: "≤ 2 ms", passed: p50 <= Self.target))
        section.rows.append(
            ReportRow("All matching queries, p95", Format.milliseconds(Stats.percentile(all, 95))))
        for kind in Kind.allCases {
            let values = samples[kind] ?? []
            section.rows.append(
                ReportRow(
                    "\(kind.rawValue): p50 / p95",
                    Format.milliseconds(Stats.median(values)) + " / "
                        + Format.milliseconds(Stats.percentile(values, 95))))
        }

        Progress.say("search: measuring the audit commit alone")
        let commits = try AuditCommitProbe(scratch: scratch).samples(count: quick ? 100 : 300)
        let commit = Stats.median(commits)
        section.rows.append(
            ReportRow(
                "Audit event commit alone (separate DB, same FS): p50 / p95",
                Format.milliseconds(commit) + " / "
                    + Format.milliseconds(Stats.percentile(commits, 95))))
        section.rows.append(
            ReportRow("Lookup + decrypt ≈ search p50 − commit p50",
                Format.milliseconds(max(p50 - commit, 0))))
        section.rows.append(
            ReportRow("Import of the \(Format.grouped(patients)) patients (setup)",
                Format.fixed(importSeconds, 2) + " s"))
        section.notes = [
            "Synthetic patients: the \(synthetic.terms.count) shared Synthea Patient "
                + "resources copied with new ids and identifier values; names and birth dates "
                + "are kept, so each name is shared by 1 in \(synthetic.terms.count) patients "
                + "and name queries always return the full limit of 50 matches (each match's "
                + "summary is decrypted).",
            "Every `Vault.search` call appends an audit event in its own durable SQLite "
                + "transaction (WAL, synchronous=FULL), included in the figures above. The "
                + "commit alone is measured on a separate database in the same directory; "
                + "the lookup figure is the difference of medians, an estimate.",
            "One untimed warm-up round precedes the timed rounds (first use of each "
                + "patient's data key unwraps it).",
        ]
        return section
    }

    /// One query of each kind per source patient; returns (kind, seconds) pairs.
    private func round(
        _ vault: Vault, _ terms: [SyntheticPatients.QueryTerms], iteration: Int
    ) throws -> [(Kind, Double)] {
        var results: [(Kind, Double)] = []
        for (index, term) in terms.enumerated() {
            let identifier = term.identifiers.isEmpty
                ? nil : term.identifiers[iteration % term.identifiers.count]
            let queries: [(Kind, PatientQuery, Int?)] = [
                (.family, PatientQuery(family: term.family), nil),
                (.givenAndBirthDate, PatientQuery(given: term.given, birthDate: term.birthDate),
                    nil),
                (.identifier, PatientQuery(identifier: identifier), 1),
                (.noMatch, PatientQuery(identifier: "no-such-id-\(iteration)-\(index)"), 0),
            ]
            for (kind, query, expected) in queries where !query.isEmpty {
                let (matches, seconds) = try Stopwatch.time { try vault.search(query) }
                if let expected, matches.count != expected {
                    throw BenchError("\(kind.rawValue) query: \(matches.count) matches")
                }
                if expected == nil && matches.isEmpty {
                    throw BenchError("\(kind.rawValue) query found nothing")
                }
                results.append((kind, seconds))
            }
        }
        return results
    }
}
