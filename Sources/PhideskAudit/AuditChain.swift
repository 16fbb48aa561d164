public import PhideskCrypto

/// One sealed entry of the chain, as the vault stores it.
///
/// `mac = HMAC(auditKey, previousMAC || body)`, where the previous MAC of record 1 is the
/// genesis value `HMAC(auditKey, "phidesk.audit.genesis.v1")`. The body also carries the
/// sequence number, so it is covered by the MAC; the separate `sequence` field lets
/// storage index records and lets verification check order without decoding bodies.
public struct AuditRecord: Sendable, Equatable {
    public let sequence: UInt64
    /// ``AuditCanonicalEncoding`` of the event.
    public let body: [UInt8]
    /// 32-byte HMAC-SHA256 chaining this record to its predecessor.
    public let mac: [UInt8]

    public init(sequence: UInt64, body: [UInt8], mac: [UInt8]) {
        self.sequence = sequence
        self.body = body
        self.mac = mac
    }

    /// Decodes the body (does not check the MAC; see ``AuditVerifier``).
    public func event() throws -> AuditEvent {
        try AuditCanonicalEncoding.decode(body)
    }
}

/// The authenticated end of the chain, stored apart from the records.
///
/// `headMAC = HMAC(auditKey, "phidesk.audit.head.v1" || bigEndian64(lastSequence) ||
/// lastMAC)`. Deleting records off the end leaves a chain that is valid on its own; the
/// head, which an attacker without the key cannot rewrite, shows that it used to be
/// longer. An empty chain has `lastSequence` 0 and the genesis value as `lastMAC`.
public struct AuditHead: Sendable, Equatable {
    public let lastSequence: UInt64
    public let lastMAC: [UInt8]
    public let headMAC: [UInt8]

    public init(lastSequence: UInt64, lastMAC: [UInt8], headMAC: [UInt8]) {
        self.lastSequence = lastSequence
        self.lastMAC = lastMAC
        self.headMAC = headMAC
    }
}

/// Seals events into the chain: assigns sequence numbers and computes MACs.
///
/// The writer only computes; the vault stores the records and the new ``head`` in the same
/// transaction as the operation they record. If that transaction rolls back, call
/// ``restore(to:)`` with the head still in storage.
/// Not thread-safe (it reuses one HMAC context): serialise calls.
public final class AuditChainWriter {
    /// The head after the last sealed record.
    public private(set) var head: AuditHead

    private let chain: ChainMAC

    /// Continues from `head` (nil for a new, empty chain). Throws
    /// ``AuditError/invalidHead`` if the head does not authenticate under `key`, so a
    /// tampered head is never laundered by appending after it.
    public init(key: SymmetricKey, head: AuditHead?) throws {
        chain = try ChainMAC(key: key)
        self.head = try chain.emptyHead()
        if let head { try restore(to: head) }
    }

    /// Resets the writer to a stored head (after a rolled-back transaction, say).
    public func restore(to head: AuditHead) throws {
        guard try chain.isAuthentic(head) else { throw AuditError.invalidHead }
        self.head = head
    }

    /// Seals one event as the next record.
    public func seal(_ event: AuditEvent) throws -> AuditRecord {
        try seal(batch: [event])[0]
    }

    /// Seals events as consecutive records and computes the head once (group commit).
    /// On error no record is sealed and ``head`` is unchanged.
    public func seal(batch events: [AuditEvent]) throws -> [AuditRecord] {
        var sequence = head.lastSequence
        var previousMAC = head.lastMAC
        var records: [AuditRecord] = []
        records.reserveCapacity(events.count)

        for var event in events {
            guard sequence < UInt64.max else { throw AuditError.sequenceExhausted }
            sequence += 1
            event.sequence = sequence
            let body = try AuditCanonicalEncoding.encode(event)
            let mac = try chain.link(previous: previousMAC, body: body)
            records.append(AuditRecord(sequence: sequence, body: body, mac: mac))
            previousMAC = mac
        }

        if !records.isEmpty {
            head = try chain.head(lastSequence: sequence, lastMAC: previousMAC)
        }
        return records
    }
}

/// The three MACs of the scheme over one reused HMAC context. Not thread-safe.
struct ChainMAC {
    static let genesisLabel = Array("phidesk.audit.genesis.v1".utf8)
    static let headLabel = Array("phidesk.audit.head.v1".utf8)

    let hmac: HMACSHA256

    init(key: SymmetricKey) throws {
        hmac = try HMACSHA256(key: key)
    }

    func genesis() throws -> [UInt8] {
        try hmac.authenticate(Self.genesisLabel)
    }

    func link(previous: [UInt8], body: [UInt8]) throws -> [UInt8] {
        try previous.withUnsafeBytes { previousBytes in
            try body.withUnsafeBytes { bodyBytes in
                try hmac.authenticate(previousBytes, bodyBytes)
            }
        }
    }

    func head(lastSequence: UInt64, lastMAC: [UInt8]) throws -> AuditHead {
        var bigEndian = lastSequence.bigEndian
        let mac = try Self.headLabel.withUnsafeBytes { label in
            try withUnsafeBytes(of: &bigEndian) { sequence in
                try lastMAC.withUnsafeBytes { last in
                    try hmac.authenticate(label, sequence, last)
                }
            }
        }
        return AuditHead(lastSequence: lastSequence, lastMAC: lastMAC, headMAC: mac)
    }

    func emptyHead() throws -> AuditHead {
        try head(lastSequence: 0, lastMAC: try genesis())
    }

    func isAuthentic(_ candidate: AuditHead) throws -> Bool {
        guard candidate.lastMAC.count == HMACSHA256.tagByteCount else { return false }
        let expected = try head(lastSequence: candidate.lastSequence, lastMAC: candidate.lastMAC)
        return constantTimeEqual(expected.headMAC, candidate.headMAC)
    }
}

// Compares without an early exit, so timing does not reveal how many leading bytes of a
// forged MAC were right.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices {
        difference |= lhs[index] ^ rhs[index]
    }
    return difference == 0
}
