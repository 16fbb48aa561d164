import PhideskAudit
import PhideskCrypto
import PhideskStore

/// The audit chain kept in the vault database, so an operation and its event commit in
/// the same transaction: after a crash both are there or neither is.
struct VaultAuditTrail {
    private let store: VaultStore
    private let key: SymmetricKey
    private let writer: AuditChainWriter

    init(store: VaultStore, key: SymmetricKey) throws {
        self.store = store
        self.key = key
        do {
            writer = try AuditChainWriter(key: key, head: try Self.loadHead(store))
        } catch AuditError.invalidHead {
            // A forged or corrupted head: open anyway so `audit verify` can report it;
            // every append re-checks the head and refuses (see `reloadHead`).
            writer = try AuditChainWriter(key: key, head: nil)
        }
    }

    private static func loadHead(_ store: VaultStore) throws -> AuditHead? {
        guard let stored = try store.auditHead() else { return nil }
        return AuditHead(
            lastSequence: stored.lastSequence, lastMAC: stored.lastMAC, headMAC: stored.headMAC)
    }

    /// Seals and stores one event; the caller's transaction makes it durable.
    ///
    /// The head is re-read inside the transaction first: another process (or another open
    /// vault object) may have appended since this one last looked, and the write lock of
    /// the transaction guarantees nobody appends between this read and the commit.
    ///
    /// Only vault creation starts a chain: for any other append a missing head means the
    /// trail was deleted, and the vault fails closed.
    func append(_ event: AuditEvent, startingChain: Bool = false) throws {
        try reloadHead(startingChain: startingChain)
        let record = try writer.seal(event)
        try insert(record)
        let head = writer.head
        try store.setAuditHead(
            lastSequence: head.lastSequence, lastMAC: head.lastMAC, headMAC: head.headMAC)
    }

    /// Seals a batch with one head update (group commit: one transaction, one fsync).
    func append(batch events: [AuditEvent]) throws {
        try reloadHead()
        for record in try writer.seal(batch: events) {
            try insert(record)
        }
        let head = writer.head
        try store.setAuditHead(
            lastSequence: head.lastSequence, lastMAC: head.lastMAC, headMAC: head.headMAC)
    }

    /// Stores one sealed record. A row already at the next sequence number means events
    /// were added behind the head's back: the trail is damaged, and the vault fails closed.
    private func insert(_ record: AuditRecord) throws {
        do {
            try store.appendAuditRecord(
                sequence: record.sequence, body: record.body, mac: record.mac)
        } catch StoreError.sqlite(_, let code, _) where code == Self.primaryKeyConflict {
            throw VaultError.auditTrailDamaged
        }
    }

    /// SQLITE_CONSTRAINT_PRIMARYKEY.
    private static let primaryKeyConflict: Int32 = 1555

    /// Re-reads the head after a rollback, so the next event continues the stored chain.
    func reloadHead(startingChain: Bool = false) throws {
        if let head = try Self.loadHead(store) {
            do {
                try writer.restore(to: head)
            } catch AuditError.invalidHead {
                throw VaultError.auditTrailDamaged
            }
            // A cheap check on every append: the newest stored event must be the one the
            // head names. Catches a deleted or edited last event at once; damage further
            // back is found by `audit verify`.
            if head.lastSequence > 0 {
                guard try store.auditMAC(sequence: head.lastSequence) == head.lastMAC,
                    try store.lastAuditSequence() == head.lastSequence
                else {
                    throw VaultError.auditTrailDamaged
                }
            }
        } else if startingChain {
            try writer.restore(to: try AuditChainWriter(key: key, head: nil).head)
        } else {
            throw VaultError.auditTrailDamaged
        }
    }

    /// Verifies the whole stored chain against the stored head in one streaming pass.
    func verify() throws -> AuditVerification {
        var verifier = try AuditVerifier(key: key)
        try store.forEachAuditRecord { sequence, body, mac in
            try verifier.consume(AuditRecord(sequence: sequence, body: body, mac: mac))
        }
        guard let head = try Self.loadHead(store) else {
            // Every vault's chain starts at creation, so no head means a wiped trail.
            return .broken(firstBadSequence: 1, problem: .truncated)
        }
        return try verifier.finish(head: head)
    }

    /// The last `count` events, oldest first.
    func tail(count: Int) throws -> [AuditEvent] {
        let last = try store.lastAuditSequence()
        let first = last >= UInt64(count) ? last - UInt64(count) + 1 : 1
        var events: [AuditEvent] = []
        try store.forEachAuditRecord(from: first) { sequence, body, mac in
            events.append(try AuditRecord(sequence: sequence, body: body, mac: mac).event())
        }
        return events
    }
}
