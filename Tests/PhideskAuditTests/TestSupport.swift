import PhideskCrypto
@testable import PhideskAudit

// A fixed instant so golden encodings are stable: 2026-12-03T16:40:00.123Z.
let fixedTime = AuditTimestamp(millisecondsSinceEpoch: 1_796_316_000_123)!

let sampleObjectID = "0123456789abcdef0123456789abcdef"

func sampleEvent(
    _ index: Int = 0,
    action: AuditAction = .read,
    outcome: AuditOutcome = .success
) throws -> AuditEvent {
    try AuditEvent(
        action: action,
        outcome: outcome,
        actor: "alice",
        resourceType: "Observation",
        objectIDs: [sampleObjectID],
        reasonCode: nil,
        count: index,
        severity: .info,
        wallTime: fixedTime,
        monotonicNanoseconds: 1_000 + UInt64(index))
}

/// A store holding a sealed chain of `count` records and its head.
func makeStore(count: Int, key: SymmetricKey) throws -> InMemoryAuditRecordStore {
    let store = InMemoryAuditRecordStore()
    let trail = try AuditTrail(store: store, key: key)
    try trail.record(batch: (1...max(count, 1)).prefix(count).map { try sampleEvent($0) })
    return store
}
