public import PhideskCrypto

/// Why a chain failed verification.
public enum AuditProblem: String, Sendable, Equatable, Codable {
    /// A record's body or MAC was modified, or it was forged without the key.
    case macMismatch
    /// A sequence number is missing and never appears: records were deleted.
    case sequenceGap
    /// The missing sequence number appears later: records were reordered.
    case sequenceOutOfOrder
    /// A sequence number appears again: a record was inserted or copied.
    case duplicateSequence
    /// A record authenticates but its body does not carry its sequence number.
    case malformedBody
    /// The chain ends before the head's last sequence, or the head is missing or does not
    /// authenticate (so a truncation cannot be ruled out).
    case truncated
    /// The head authenticates but does not describe the chain's last record.
    case headMismatch
}

/// The result of verifying a chain.
public enum AuditVerification: Sendable, Equatable {
    /// Every record authenticates, sequences are 1...count, and the head matches.
    case intact(count: UInt64)
    /// Verification stopped at the first problem; `firstBadSequence` is the lowest
    /// sequence number whose record is altered, missing, misplaced or duplicated (for
    /// end-of-chain problems, the first sequence after the last trustworthy record).
    case broken(firstBadSequence: UInt64, problem: AuditProblem)

    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }
}

/// Verifies a chain in one streaming pass, in constant memory.
///
/// Feed records in stored order with ``consume(_:)``, then call ``finish(head:)``; or use
/// ``verify(records:head:key:)`` for a sequence. Bodies are not decoded: only their
/// leading sequence number is read. Not thread-safe (one reused HMAC context).
public struct AuditVerifier {
    private let chain: ChainMAC
    private var expectedSequence: UInt64 = 1
    private var previousMAC: [UInt8]
    private var failure: (sequence: UInt64, problem: AuditProblem)?
    // A sequence number that was skipped: a gap if it never shows up, a reordering if it
    // shows up later. Deciding needs the rest of the stream, so only numbers are read.
    private var missingSequence: UInt64?

    public init(key: SymmetricKey) throws {
        chain = try ChainMAC(key: key)
        previousMAC = try chain.genesis()
    }

    /// Verifies `records` against `head`. A nil head is accepted only for an empty chain,
    /// because without it truncation cannot be detected.
    public static func verify(
        records: some Sequence<AuditRecord>, head: AuditHead?, key: SymmetricKey
    ) throws -> AuditVerification {
        var verifier = try AuditVerifier(key: key)
        for record in records {
            try verifier.consume(record)
        }
        return try verifier.finish(head: head)
    }

    /// Checks the next record in stored order. After the first problem, later records
    /// are only scanned for the sequence number a gap is waiting for.
    public mutating func consume(_ record: AuditRecord) throws {
        guard failure == nil else { return }

        if let missing = missingSequence {
            if record.sequence == missing {
                failure = (missing, .sequenceOutOfOrder)
            }
            return
        }

        guard record.sequence == expectedSequence else {
            if record.sequence < expectedSequence {
                failure = (record.sequence, .duplicateSequence)
            } else {
                missingSequence = expectedSequence
            }
            return
        }

        let mac = try chain.link(previous: previousMAC, body: record.body)
        guard constantTimeEqual(mac, record.mac) else {
            failure = (record.sequence, .macMismatch)
            return
        }

        // The MAC proves the body is what the writer sealed; this catches a writer that
        // sealed a body for another position.
        let bodySequence = record.body.withUnsafeBytes {
            AuditCanonicalEncoding.sequence(inBody: $0)
        }
        guard bodySequence == record.sequence else {
            failure = (record.sequence, .malformedBody)
            return
        }

        previousMAC = record.mac
        expectedSequence = record.sequence &+ 1
    }

    /// The verdict for the records consumed so far, checked against the stored head.
    public func finish(head: AuditHead?) throws -> AuditVerification {
        if let failure {
            return .broken(firstBadSequence: failure.sequence, problem: failure.problem)
        }
        if let missing = missingSequence {
            return .broken(firstBadSequence: missing, problem: .sequenceGap)
        }

        let lastSequence = expectedSequence &- 1
        guard let head else {
            return lastSequence == 0
                ? .intact(count: 0)
                : .broken(firstBadSequence: lastSequence &+ 1, problem: .truncated)
        }
        guard try chain.isAuthentic(head), lastSequence >= head.lastSequence else {
            return .broken(firstBadSequence: lastSequence &+ 1, problem: .truncated)
        }
        guard lastSequence == head.lastSequence else {
            return .broken(firstBadSequence: head.lastSequence &+ 1, problem: .headMismatch)
        }
        guard constantTimeEqual(previousMAC, head.lastMAC) else {
            return .broken(firstBadSequence: max(lastSequence, 1), problem: .headMismatch)
        }
        return .intact(count: lastSequence)
    }
}
