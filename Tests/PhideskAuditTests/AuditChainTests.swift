import PhideskCrypto
import Testing
@testable import PhideskAudit

@Suite struct AuditChainTests {
    let key: SymmetricKey
    let store: InMemoryAuditRecordStore

    init() throws {
        key = try SymmetricKey.generate()
        store = try makeStore(count: 10, key: key)
    }

    func verify(_ records: [AuditRecord], head: AuditHead?) throws -> AuditVerification {
        try AuditVerifier.verify(records: records, head: head, key: key)
    }

    func broken(_ sequence: UInt64, _ problem: AuditProblem) -> AuditVerification {
        .broken(firstBadSequence: sequence, problem: problem)
    }

    @Test func intactChain() throws {
        #expect(try verify(store.records, head: store.head) == .intact(count: 10))
        #expect(store.records.map(\.sequence) == Array(1...10))
        for record in store.records {
            #expect(try record.event().sequence == record.sequence)
            #expect(record.mac.count == 32)
        }
    }

    @Test func modifiedBodyByte() throws {
        var records = store.records
        var body = records[3].body
        body[body.count - 1] ^= 0x01
        records[3] = AuditRecord(sequence: 4, body: body, mac: records[3].mac)

        #expect(try verify(records, head: store.head) == broken(4, .macMismatch))
    }

    @Test func modifiedMAC() throws {
        var records = store.records
        var mac = records[6].mac
        mac[0] ^= 0x80
        records[6] = AuditRecord(sequence: 7, body: records[6].body, mac: mac)

        #expect(try verify(records, head: store.head) == broken(7, .macMismatch))
    }

    @Test func deletedRecord() throws {
        var records = store.records
        records.remove(at: 3)

        #expect(try verify(records, head: store.head) == broken(4, .sequenceGap))
    }

    @Test func insertedForgedRecordWithDuplicateSequence() throws {
        var records = store.records
        let forged = AuditRecord(sequence: 4, body: records[3].body, mac: records[3].mac)
        records.insert(forged, at: 4)

        #expect(try verify(records, head: store.head) == broken(4, .duplicateSequence))
    }

    @Test func insertedForgedRecordWithRenumbering() throws {
        // Without the key, the forger can only guess the MAC of the inserted record.
        var event = try sampleEvent(99)
        event.sequence = 4
        let forged = AuditRecord(
            sequence: 4, body: try AuditCanonicalEncoding.encode(event),
            mac: [UInt8](repeating: 0xab, count: 32))
        var records = Array(store.records[0..<3]) + [forged]
        records += store.records[3...].map {
            AuditRecord(sequence: $0.sequence + 1, body: $0.body, mac: $0.mac)
        }

        #expect(try verify(records, head: store.head) == broken(4, .macMismatch))
    }

    @Test func swappedRecordPositions() throws {
        var records = store.records
        records.swapAt(4, 5)

        #expect(try verify(records, head: store.head) == broken(5, .sequenceOutOfOrder))
    }

    @Test func swappedRecordContents() throws {
        // What a store that orders by sequence column returns after swapping two rows'
        // bodies and MACs.
        var records = store.records
        let fifth = records[4]
        let sixth = records[5]
        records[4] = AuditRecord(sequence: 5, body: sixth.body, mac: sixth.mac)
        records[5] = AuditRecord(sequence: 6, body: fifth.body, mac: fifth.mac)

        #expect(try verify(records, head: store.head) == broken(5, .macMismatch))
    }

    @Test func truncatedTail() throws {
        let records = Array(store.records.dropLast(3))

        #expect(try verify(records, head: store.head) == broken(8, .truncated))
    }

    @Test func truncatedTailWithHeadRemovedOrForged() throws {
        let records = Array(store.records.dropLast(3))
        let otherKey = try SymmetricKey.generate()
        let forgedHead = try ChainMAC(key: otherKey)
            .head(lastSequence: 7, lastMAC: records[6].mac)

        #expect(try verify(records, head: nil) == broken(8, .truncated))
        #expect(try verify(records, head: forgedHead) == broken(8, .truncated))
    }

    @Test func everythingDeletedButHeadKept() throws {
        #expect(try verify([], head: store.head) == broken(1, .truncated))
    }

    @Test func recordsBeyondHead() throws {
        // A head rolled back to an older (authentic) value no longer covers the end.
        let oldHead = try ChainMAC(key: key).head(lastSequence: 7, lastMAC: store.records[6].mac)

        #expect(try verify(store.records, head: oldHead) == broken(8, .headMismatch))
    }

    @Test func headWithOtherLastMAC() throws {
        let wrongHead = try ChainMAC(key: key)
            .head(lastSequence: 10, lastMAC: store.records[8].mac)

        #expect(try verify(store.records, head: wrongHead) == broken(10, .headMismatch))
    }

    @Test func otherKeyFailsAtFirstRecord() throws {
        let otherKey = try SymmetricKey.generate()
        let otherStore = try makeStore(count: 5, key: otherKey)

        #expect(try verify(otherStore.records, head: nil) == broken(1, .macMismatch))
        #expect(try verify(otherStore.records, head: otherStore.head) == broken(1, .macMismatch))
    }

    @Test func emptyChain() throws {
        let emptyHead = try AuditChainWriter(key: key, head: nil).head

        #expect(try verify([], head: nil) == .intact(count: 0))
        #expect(try verify([], head: emptyHead) == .intact(count: 0))
        #expect(emptyHead.lastSequence == 0)
    }

    @Test func authenticBodyWithWrongSequence() throws {
        // Only a faulty writer could produce this: the MAC holds, the body disagrees.
        let chain = try ChainMAC(key: key)
        var event = try sampleEvent(1)
        event.sequence = 2
        let body = try AuditCanonicalEncoding.encode(event)
        let mac = try chain.link(previous: try chain.genesis(), body: body)
        let head = try chain.head(lastSequence: 1, lastMAC: mac)
        let records = [AuditRecord(sequence: 1, body: body, mac: mac)]

        #expect(try verify(records, head: head) == broken(1, .malformedBody))
    }

    @Test func firstProblemWins() throws {
        var records = store.records
        var body = records[2].body
        body[0] = UInt8(ascii: "x")
        records[2] = AuditRecord(sequence: 3, body: body, mac: records[2].mac)
        records.remove(at: 6)

        #expect(try verify(Array(records.dropLast()), head: store.head) == broken(3, .macMismatch))
    }

    @Test func incrementalMatchesOneShot() throws {
        var verifier = try AuditVerifier(key: key)
        for record in store.records {
            try verifier.consume(record)
        }
        #expect(try verifier.finish(head: store.head) == .intact(count: 10))
    }

    @Test func writerContinuesFromHead() throws {
        let first = try AuditChainWriter(key: key, head: nil)
        let early = try first.seal(batch: [try sampleEvent(1), try sampleEvent(2)])
        let second = try AuditChainWriter(key: key, head: first.head)
        let late = try second.seal(try sampleEvent(3))

        #expect(late.sequence == 3)
        #expect(try verify(early + [late], head: second.head) == .intact(count: 3))
        #expect(try first.seal(batch: []).isEmpty)
    }

    @Test func writerRejectsTamperedHead() throws {
        let head = try #require(store.head)
        var mac = head.headMAC
        mac[5] ^= 1
        let tampered = AuditHead(lastSequence: head.lastSequence + 5, lastMAC: head.lastMAC,
                                 headMAC: head.headMAC)
        let flipped = AuditHead(lastSequence: head.lastSequence, lastMAC: head.lastMAC,
                                headMAC: mac)

        #expect(throws: AuditError.invalidHead) { try AuditChainWriter(key: key, head: tampered) }
        #expect(throws: AuditError.invalidHead) { try AuditChainWriter(key: key, head: flipped) }
        let otherKey = try SymmetricKey.generate()
        #expect(throws: AuditError.invalidHead) {
            try AuditChainWriter(key: otherKey, head: head)
        }
    }

    @Test func sequenceExhaustionThrows() throws {
        let writer = try AuditChainWriter(key: key, head: store.head)
        let before = writer.head

        #expect(throws: AuditError.sequenceExhausted) {
            let chain = try ChainMAC(key: key)
            let last = try chain.head(lastSequence: .max, lastMAC: before.lastMAC)
            _ = try AuditChainWriter(key: key, head: last).seal(try sampleEvent())
        }
        #expect(writer.head == before)
    }
}
