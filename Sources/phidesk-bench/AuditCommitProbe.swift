import PhideskAudit
import PhideskCrypto
import PhideskStore

/// Measures what one audited read costs on top of its lookup: sealing one event and
/// committing it durably in its own transaction, exactly the steps the vault runs for a
/// search, but on a separate database in the same directory (no hook into the vault).
struct AuditCommitProbe {
    let scratch: Scratch

    /// Seconds per single-event durable commit, one sample per commit.
    func samples(count: Int) throws -> [Double] {
        let store = try VaultStore(path: scratch.newPath("probe") + ".sqlite", create: true)
        let writer = try AuditChainWriter(key: try SymmetricKey.generate(), head: nil)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            samples.append(
                try Stopwatch.seconds {
                    let event = try AuditEvent(
                        action: .search, outcome: .success, actor: BenchVaults.actor, count: 50)
                    let record = try writer.seal(event)
                    try store.inTransaction {
                        try store.appendAuditRecord(
                            sequence: record.sequence, body: record.body, mac: record.mac)
                        let head = writer.head
                        try store.setAuditHead(
                            lastSequence: head.lastSequence, lastMAC: head.lastMAC,
                            headMAC: head.headMAC)
                    }
                })
        }
        return samples
    }
}
