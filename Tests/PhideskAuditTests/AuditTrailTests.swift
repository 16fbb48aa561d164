import Foundation
import PhideskCrypto
import Testing
@testable import PhideskAudit

private struct StoreFailure: Error, Equatable {}

@Suite struct AuditTrailTests {
    let key: SymmetricKey

    init() throws {
        key = try SymmetricKey.generate()
    }

    @Test func recordVerifyTail() throws {
        let store = InMemoryAuditRecordStore()
        let trail = try AuditTrail(store: store, key: key)
        try trail.record(try sampleEvent(1, action: .vaultOpen))
        try trail.record(batch: (2...6).map { try sampleEvent($0, action: .search) })

        #expect(try trail.verify() == .intact(count: 6))
        #expect(trail.head == store.head)
        let tail = try trail.tail(count: 3)
        #expect(tail.map(\.sequence) == [4, 5, 6])
        #expect(tail.map(\.count) == [4, 5, 6])
        #expect(try trail.tail(count: 100).map(\.sequence) == Array(1...6))
        #expect(try trail.tail(count: 6).first?.action == .vaultOpen)
        #expect(try trail.tail(count: 0).isEmpty)
    }

    @Test func emptyTrail() throws {
        let trail = try AuditTrail(store: InMemoryAuditRecordStore(), key: key)

        #expect(try trail.verify() == .intact(count: 0))
        #expect(try trail.tail(count: 5).isEmpty)
        #expect(try trail.record(batch: []).isEmpty)
    }

    @Test func reopenedTrailContinues() throws {
        let store = try makeStore(count: 4, key: key)
        let trail = try AuditTrail(store: store, key: key)
        let record = try trail.record(try sampleEvent(5))

        #expect(record.sequence == 5)
        #expect(try trail.verify() == .intact(count: 5))
    }

    @Test func failedAppendRecordsNothing() throws {
        let store = try makeStore(count: 3, key: key)
        let trail = try AuditTrail(store: store, key: key)
        let before = trail.head
        store.nextAppendError = StoreFailure()

        #expect(throws: StoreFailure()) { try trail.record(try sampleEvent(4)) }
        #expect(trail.head == before)
        #expect(try trail.record(try sampleEvent(4)).sequence == 4)
        #expect(try trail.verify() == .intact(count: 4))
    }

    @Test func reloadAfterRollback() throws {
        let store = try makeStore(count: 3, key: key)
        let trail = try AuditTrail(store: store, key: key)
        let stored = store.head
        try trail.record(try sampleEvent(4))

        // The vault's transaction rolled back: storage is back to 3 records.
        store.records.removeLast()
        store.head = stored
        try trail.reload()

        #expect(trail.head == stored)
        #expect(try trail.record(try sampleEvent(4)).sequence == 4)
        #expect(try trail.verify() == .intact(count: 4))
    }

    @Test func openingWithForgedHeadFails() throws {
        let store = try makeStore(count: 3, key: key)
        let other = try SymmetricKey.generate()

        #expect(throws: AuditError.invalidHead) { try AuditTrail(store: store, key: other) }
    }

    @Test func tailRefusesTamperedRecords() throws {
        let store = try makeStore(count: 8, key: key)
        let trail = try AuditTrail(store: store, key: key)
        let original = store.records

        var body = original[6].body
        body[body.count - 1] ^= 1
        store.records[6] = AuditRecord(sequence: 7, body: body, mac: original[6].mac)
        #expect(throws: AuditError.chainBroken(firstBadSequence: 7)) {
            try trail.tail(count: 3)
        }
        // Record 5 is only the anchor of a 3-event tail; its MAC links record 6.
        #expect(try trail.verify() == .broken(firstBadSequence: 7, problem: .macMismatch))

        store.records = Array(original.dropLast(2))
        #expect(throws: AuditError.chainBroken(firstBadSequence: 7)) {
            try trail.tail(count: 3)
        }

        store.records = original
        store.records[0] = AuditRecord(sequence: 1, body: original[1].body, mac: original[0].mac)
        #expect(throws: AuditError.chainBroken(firstBadSequence: 1)) {
            try trail.tail(count: 20)
        }
        #expect(try trail.tail(count: 7).count == 7)
    }
}

@Suite struct AuditSpoolTests {
    func temporaryPath() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("phidesk-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent(AuditSpool.fileName).path)
    }

    @Test func roundTripThenSealAndClear() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = try (1...3).map {
            try sampleEvent($0, action: .vaultOpen, outcome: .denied)
        }
        for event in events {
            try AuditSpool.append(event, to: path)
        }

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let drained = try AuditSpool.drain(path)
        #expect(drained == events.map { $0.markedUnauthenticated() })
        #expect(drained.allSatisfy { $0.recordedUnauthenticated })

        let store = InMemoryAuditRecordStore()
        let trail = try AuditTrail(store: store, key: try SymmetricKey.generate())
        try trail.record(batch: drained)
        try AuditSpool.clear(path)

        #expect(try trail.verify() == .intact(count: 3))
        #expect(try trail.tail(count: 3).allSatisfy { $0.recordedUnauthenticated })
        #expect(try AuditSpool.drain(path).isEmpty)
        try AuditSpool.clear(path)
    }

    @Test func missingFileIsEmpty() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }

        #expect(try AuditSpool.drain(path).isEmpty)
    }

    @Test func tornLastLineIsSkipped() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try AuditSpool.append(try sampleEvent(1), to: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("v1\t0\t2026".utf8))
        handle.closeFile()

        #expect(try AuditSpool.drain(path).count == 1)
    }

    @Test func malformedLineIsReportedByNumber() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try AuditSpool.append(try sampleEvent(1), to: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("patient Mejía tried to open\n".utf8))
        handle.closeFile()
        try AuditSpool.append(try sampleEvent(2), to: path)

        #expect(throws: AuditError.malformedSpoolLine(2)) { try AuditSpool.drain(path) }
    }

    @Test func appendToMissingDirectoryFails() throws {
        let (directory, _) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let event = try sampleEvent(1)

        #expect(throws: AuditError.spoolIO(operation: .open, errno: ENOENT)) {
            try AuditSpool.append(event, to: directory.path + "/missing/" + AuditSpool.fileName)
        }
    }
}
