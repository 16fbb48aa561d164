import PhideskAudit
import PhideskCrypto
import PhideskStore

/// Benchmark 5: durable audit throughput with group commit, and verification of a
/// long chain read back from the store.
struct AuditBench {
    let quick: Bool
    let scratch: Scratch

    static let batchSize = 1_000
    static let throughputTarget = 50_000.0
    static let verifyTarget = 2.0
    static let verifyTargetEvents = 1_000_000

    func run() throws -> BenchmarkSection {
        let total = quick ? 100_000 : Self.verifyTargetEvents
        var section = BenchmarkSection(title: "5. Audit trail")
        let key = try SymmetricKey.generate()
        let store = try VaultStore(path: scratch.newPath("audit") + ".sqlite", create: true)
        let writer = try AuditChainWriter(key: key, head: nil)
        let objectID = try SystemRandom.bytes(count: 16).hexString

        // The chain that verification needs is written by the throughput measurement
        // itself: every batch is one durable transaction, as the vault commits them.
        Progress.say("audit: writing \(total) events in batches of \(Self.batchSize)")
        var batchSeconds: [Double] = []
        let writeSeconds = try Stopwatch.seconds {
            var written = 0
            while written < total {
                let count = min(Self.batchSize, total - written)
                batchSeconds.append(
                    try Stopwatch.seconds {
                        try commitBatch(count, objectID: objectID, writer: writer, store: store)
                    })
                written += count
                if written % (total / 4) == 0 { Progress.say("audit: \(written) written") }
            }
        }
        let rate = Double(total) / writeSeconds
        let medianBatchRate = Double(Self.batchSize) / Stats.median(batchSeconds)
        section.rows.append(
            .judged(
                "Durable events/s, \(Format.grouped(total)) events, "
                    + "\(Format.grouped(Self.batchSize)) per commit",
                Format.fixed(rate, 0), target: "≥ 50,000/s",
                passed: rate >= Self.throughputTarget))
        section.rows.append(
            ReportRow("Median per-batch rate", Format.fixed(medianBatchRate, 0) + " /s"))

        let runs = quick ? 2 : 3
        var verifySeconds: [Double] = []
        for run in 1...runs {
            Progress.say("audit: verify run \(run)/\(runs)")
            let (verdict, seconds) = try Stopwatch.time { try verify(store: store, key: key) }
            guard verdict == .intact(count: UInt64(total)) else {
                throw BenchError("audit chain did not verify as intact")
            }
            verifySeconds.append(seconds)
        }
        let verifyMedian = Stats.median(verifySeconds)
        // The target is for 1M events; a quick run scales its time linearly to compare.
        let scaled = verifyMedian * Double(Self.verifyTargetEvents) / Double(total)
        section.rows.append(
            ReportRow("Verify \(Format.grouped(total)) events (median of \(runs))",
                Format.fixed(verifyMedian, 3) + " s"))
        section.rows.append(
            .judged(
                total == Self.verifyTargetEvents
                    ? "Verify 1,000,000 events" : "Verify, scaled to 1,000,000 events",
                Format.fixed(scaled, 3) + " s", target: "≤ 2 s",
                passed: scaled <= Self.verifyTarget))
        section.notes = [
            "Each batch: create and validate the events, seal them with "
                + "`AuditChainWriter.seal(batch:)` (HMAC-SHA256 chain), insert them and the "
                + "new head in one `VaultStore.inTransaction` (WAL, synchronous=FULL).",
            "Verify: `AuditVerifier` over every record streamed from SQLite in sequence "
                + "order, then the stored head; the database is warm in the page cache.",
        ]
        return section
    }

    private func commitBatch(
        _ count: Int, objectID: String, writer: AuditChainWriter, store: VaultStore
    ) throws {
        var events: [AuditEvent] = []
        events.reserveCapacity(count)
        for _ in 0..<count {
            events.append(
                try AuditEvent(
                    action: .read, outcome: .success, actor: BenchVaults.actor,
                    resourceType: "Patient", objectIDs: [objectID], count: 1))
        }
        let records = try writer.seal(batch: events)
        do {
            try store.inTransaction {
                for record in records {
                    try store.appendAuditRecord(
                        sequence: record.sequence, body: record.body, mac: record.mac)
                }
                let head = writer.head
                try store.setAuditHead(
                    lastSequence: head.lastSequence, lastMAC: head.lastMAC,
                    headMAC: head.headMAC)
            }
        } catch {
            throw BenchError("audit batch commit failed")
        }
    }

    private func verify(store: VaultStore, key: SymmetricKey) throws -> AuditVerification {
        var verifier = try AuditVerifier(key: key)
        try store.forEachAuditRecord { sequence, body, mac in
            try verifier.consume(AuditRecord(sequence: sequence, body: body, mac: mac))
        }
        let head = try store.auditHead().map {
            AuditHead(lastSequence: $0.lastSequence, lastMAC: $0.lastMAC, headMAC: $0.headMAC)
        }
        return try verifier.finish(head: head)
    }
}
