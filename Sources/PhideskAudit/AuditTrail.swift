public import PhideskCrypto

/// Where sealed records and the head live. The vault implements this on its SQLite
/// database so records commit in the same transaction as the operation they record.
public protocol AuditRecordStore {
    /// Stores `records` (consecutive, after the current last record) and replaces the head
    /// with `head`, atomically: either all of it is stored or none of it.
    func append(_ records: [AuditRecord], head: AuditHead) throws

    /// Calls `body` with every record in ascending sequence order (as stored; a tampered
    /// store may return anything, which verification reports). Callback style so a long
    /// chain is never materialised as one array.
    func forEachRecord(_ body: (AuditRecord) throws -> Void) throws

    /// The stored head, or nil if none was ever stored.
    func loadHead() throws -> AuditHead?

    /// The last `count` records (fewer if the chain is shorter), in ascending order.
    func tail(count: Int) throws -> [AuditRecord]
}

/// An ``AuditRecordStore`` in memory, for tests and benchmarks. The stored records and
/// head are public and mutable so tests can tamper with them. Not thread-safe.
public final class InMemoryAuditRecordStore: AuditRecordStore {
    public var records: [AuditRecord] = []
    public var head: AuditHead?
    /// When set, the next ``append(_:head:)`` throws it and stores nothing.
    public var nextAppendError: (any Error)?

    public init() {}

    public func append(_ records: [AuditRecord], head: AuditHead) throws {
        if let error = nextAppendError {
            nextAppendError = nil
            throw error
        }
        self.records.append(contentsOf: records)
        self.head = head
    }

    public func forEachRecord(_ body: (AuditRecord) throws -> Void) throws {
        for record in records {
            try body(record)
        }
    }

    public func loadHead() throws -> AuditHead? {
        head
    }

    public func tail(count: Int) throws -> [AuditRecord] {
        Array(records.suffix(max(count, 0)))
    }
}

/// The audit trail over a store and the audit key: seal-and-store, verify, and read back.
///
/// Not thread-safe: the vault serialises audit writes (they share its transaction).
public final class AuditTrail {
    public let store: any AuditRecordStore
    private let writer: AuditChainWriter
    private let key: SymmetricKey

    /// Opens the trail at the store's head. Throws ``AuditError/invalidHead`` if the head
    /// does not authenticate under `key`.
    public init(store: any AuditRecordStore, key: SymmetricKey) throws {
        self.store = store
        self.key = key
        writer = try AuditChainWriter(key: key, head: try store.loadHead())
    }

    /// The head after the last record this trail stored.
    public var head: AuditHead { writer.head }

    /// Seals and stores one event.
    @discardableResult
    public func record(_ event: AuditEvent) throws -> AuditRecord {
        try record(batch: [event])[0]
    }

    /// Seals events and stores them with one append (group commit). If the store throws,
    /// nothing is recorded and the trail stays at its previous head.
    @discardableResult
    public func record(batch events: [AuditEvent]) throws -> [AuditRecord] {
        guard !events.isEmpty else { return [] }
        let previousHead = writer.head
        let records = try writer.seal(batch: events)
        do {
            try store.append(records, head: writer.head)
        } catch {
            // The head was authenticated when loaded, so restoring it cannot fail.
            try? writer.restore(to: previousHead)
            throw error
        }
        return records
    }

    /// Re-reads the head from the store, for example after the vault rolled back a
    /// transaction that contained audit records.
    public func reload() throws {
        if let stored = try store.loadHead() {
            try writer.restore(to: stored)
        } else {
            try writer.restore(to: try ChainMAC(key: key).emptyHead())
        }
    }

    /// Verifies the whole stored chain against the stored head. Records and head are read
    /// separately, so call it where no audit write can interleave (the vault's lock).
    public func verify() throws -> AuditVerification {
        var verifier = try AuditVerifier(key: key)
        try store.forEachRecord { try verifier.consume($0) }
        return try verifier.finish(head: try store.loadHead())
    }

    /// The last `count` events, oldest first. Only events that authenticate are returned:
    /// each one is checked against its predecessor's MAC (one extra record is read as the
    /// anchor) and the last one against the stored head; otherwise this throws
    /// ``AuditError/chainBroken(firstBadSequence:)``. It does not prove the older part of
    /// the chain; ``verify()`` does.
    public func tail(count: Int) throws -> [AuditEvent] {
        guard count > 0 else { return [] }
        let chain = try ChainMAC(key: key)
        let records = try store.tail(count: count + 1)
        let head = try store.loadHead()

        guard let head, try chain.isAuthentic(head) else {
            if records.isEmpty, head == nil { return [] }
            throw AuditError.chainBroken(firstBadSequence: (records.last?.sequence ?? 0) + 1)
        }
        guard let last = records.last else {
            guard head.lastSequence == 0 else {
                throw AuditError.chainBroken(firstBadSequence: 1)
            }
            return []
        }
        guard last.sequence == head.lastSequence, constantTimeEqual(last.mac, head.lastMAC)
        else {
            // Past the head: the first extra record; before it: the first missing one;
            // at it with another MAC: that record.
            let firstBad = last.sequence == head.lastSequence
                ? last.sequence : min(last.sequence, head.lastSequence) + 1
            throw AuditError.chainBroken(firstBadSequence: firstBad)
        }

        // With fewer records than asked for, the first one must be sequence 1 and links to
        // the genesis value; otherwise the first record is only an anchor.
        var previousMAC: [UInt8]
        var shown: ArraySlice<AuditRecord>
        if records.count <= count {
            guard records[0].sequence == 1 else {
                throw AuditError.chainBroken(firstBadSequence: 1)
            }
            previousMAC = try chain.genesis()
            shown = records[...]
        } else {
            previousMAC = records[0].mac
            shown = records.dropFirst()
        }

        var expectedSequence = records.count <= count ? 1 : records[0].sequence + 1
        var events: [AuditEvent] = []
        events.reserveCapacity(shown.count)
        for record in shown {
            guard record.sequence == expectedSequence,
                constantTimeEqual(try chain.link(previous: previousMAC, body: record.body),
                                  record.mac)
            else { throw AuditError.chainBroken(firstBadSequence: expectedSequence) }
            let event = try record.event()
            guard event.sequence == record.sequence else {
                throw AuditError.chainBroken(firstBadSequence: expectedSequence)
            }
            events.append(event)
            previousMAC = record.mac
            expectedSequence += 1
        }
        return events
    }
}
