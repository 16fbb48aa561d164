import Foundation
import Testing
@testable import PhideskAudit

@Suite struct AuditEncodingTests {
    @Test func roundTripAllFields() throws {
        let event = try AuditEvent(
            action: .importBundle, outcome: .failure, actor: "uid:1000",
            resourceType: "Bundle", objectIDs: [sampleObjectID, String(repeating: "f", count: 32)],
            reasonCode: "parse-error", count: 42, severity: .alert, wallTime: fixedTime,
            monotonicNanoseconds: 123_456_789, recordedUnauthenticated: true, sequence: 7)
        let bytes = try AuditCanonicalEncoding.encode(event)

        let decoded = try AuditCanonicalEncoding.decode(bytes)

        #expect(decoded == event)
        #expect(try AuditCanonicalEncoding.encode(decoded) == bytes)
    }

    @Test func goldenEncoding() throws {
        let event = try AuditEvent(
            action: .vaultOpen, outcome: .denied, actor: "alice",
            reasonCode: "wrong-passphrase", wallTime: fixedTime, monotonicNanoseconds: 5)
        let text = String(decoding: try AuditCanonicalEncoding.encode(event), as: UTF8.self)

        #expect(text == "v2\t0\t2026-12-03T16:40:00.123Z\t5\talice\tvault.open\t\t\tdenied"
            + "\twrong-passphrase\t\tinfo\t0\t\t\t\t")
        #expect(try AuditCanonicalEncoding.decode(Array(text.utf8)) == event)

        // Lines written before users existed (v1: 13 fields) still decode.
        let version1 = "v1\t0\t2026-12-03T16:40:00.123Z\t5\talice\tvault.open\t\t\tdenied"
            + "\twrong-passphrase\t\tinfo\t0"
        #expect(try AuditCanonicalEncoding.decode(Array(version1.utf8)) == event)
    }

    @Test func sessionFieldsRoundTrip() throws {
        let id = String(repeating: "ab", count: 16)
        let event = try AuditEvent(
            action: .read, outcome: .success, actor: "alice", wallTime: fixedTime,
            monotonicNanoseconds: 5, userID: id, role: "clinician", sessionID: id,
            breakGlassGrant: id)
        let bytes = try AuditCanonicalEncoding.encode(event)
        #expect(try AuditCanonicalEncoding.decode(bytes) == event)
        #expect(throws: AuditError.invalidField(.session)) {
            try AuditEvent(action: .read, outcome: .success, userID: "Mejía")
        }
    }

    @Test func decodeRejectsMalformed() throws {
        let good = String(decoding: try AuditCanonicalEncoding.encode(try sampleEvent(3)),
                          as: UTF8.self)
        var fields = good.split(separator: "\t", omittingEmptySubsequences: false)
            .map(String.init)
        func replacing(_ index: Int, _ value: String) -> String {
            var copy = fields
            copy[index] = value
            return copy.joined(separator: "\t")
        }

        let malformed = [
            "",
            good + "\t",
            replacing(1, "01"),
            replacing(1, "-1"),
            replacing(1, "18446744073709551616"),
            replacing(2, "2026-02-30T00:00:00.000Z"),
            replacing(2, "2026-12-03T16:40:00Z"),
            replacing(3, "+5"),
            replacing(5, "record.delete"),
            replacing(8, "ok"),
            replacing(10, "-1"),
            replacing(11, "warning"),
            replacing(12, "2"),
        ]
        for text in malformed {
            #expect(throws: AuditError.malformedEncoding) {
                try AuditCanonicalEncoding.decode(Array(text.utf8))
            }
        }

        #expect(throws: AuditError.unsupportedEncodingVersion) {
            try AuditCanonicalEncoding.decode(Array(replacing(0, "v3").utf8))
        }
        #expect(throws: AuditError.invalidField(.actor)) {
            try AuditCanonicalEncoding.decode(Array(replacing(4, "Mejía").utf8))
        }
        #expect(throws: AuditError.invalidField(.objectIDs)) {
            try AuditCanonicalEncoding.decode(Array(replacing(7, sampleObjectID + ",").utf8))
        }
        fields.removeLast()
        #expect(throws: AuditError.malformedEncoding) {
            try AuditCanonicalEncoding.decode(Array(fields.joined(separator: "\t").utf8))
        }
    }

    @Test func sequenceInBody() throws {
        func sequence(_ text: String) -> UInt64? {
            Array(text.utf8).withUnsafeBytes { AuditCanonicalEncoding.sequence(inBody: $0) }
        }
        #expect(sequence("v1\t12\tx") == 12)
        #expect(sequence("v1\t0\t") == 0)
        #expect(sequence("v1\t012\tx") == nil)
        #expect(sequence("v1\t12") == nil)
        #expect(sequence("v2\t12\tx") == 12)
        #expect(sequence("v3\t12\tx") == nil)
        #expect(sequence("v1\t\tx") == nil)
        #expect(sequence("v1\t99999999999999999999\t") == nil)
    }

    @Test func timestamps() throws {
        #expect(fixedTime.iso8601 == "2026-12-03T16:40:00.123Z")
        #expect(AuditTimestamp(millisecondsSinceEpoch: 0)!.iso8601
            == "1970-01-01T00:00:00.000Z")
        #expect(AuditTimestamp(millisecondsSinceEpoch: 951_782_400_000)!.iso8601
            == "2000-02-29T00:00:00.000Z")
        #expect(AuditTimestamp(millisecondsSinceEpoch: AuditTimestamp.maximumMilliseconds)!
            .iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(AuditTimestamp(millisecondsSinceEpoch: -1) == nil)

        for text in ["2026-12-03T16:40:00.123Z", "2000-02-29T23:59:59.999Z"] {
            #expect(AuditTimestamp(iso8601: text)?.iso8601 == text)
        }
        for text in ["2026-02-30T00:00:00.000Z", "2100-02-29T00:00:00.000Z",
                     "2026-12-03 16:40:00.123Z", "2026-12-03T24:00:00.000Z",
                     "1969-12-31T23:59:59.999Z", "2026-12-03T16:40:00.123+00:00"] {
            #expect(AuditTimestamp(iso8601: text) == nil)
        }

        let now = AuditTimestamp.now()
        #expect(now.millisecondsSinceEpoch > 1_700_000_000_000)
        #expect(AuditTimestamp(iso8601: now.iso8601) == now)
    }

    @Test func jsonUsesISOTimeAndValidatesOnDecode() throws {
        let event = try sampleEvent(1)
        let json = try JSONEncoder().encode(event)
        let text = String(decoding: json, as: UTF8.self)

        #expect(text.contains("\"2026-12-03T16:40:00.123Z\""))
        #expect(try JSONDecoder().decode(AuditEvent.self, from: json) == event)

        let tampered = Data(text.replacingOccurrences(of: "\"alice\"", with: "\"Mejía\"").utf8)
        #expect(throws: AuditError.invalidField(.actor)) {
            try JSONDecoder().decode(AuditEvent.self, from: tampered)
        }
    }

    @Test func defaultsFillClocksAndActor() throws {
        let event = try AuditEvent(action: .search, outcome: .success, count: 3)

        #expect(AuditValidation.isToken(event.actor))
        #expect(event.monotonicNanoseconds > 0)
        #expect(event.sequence == 0)
        #expect(!event.recordedUnauthenticated)
    }
}

@Suite struct AuditCharsetTests {
    static let phiLike = ["Mejía", "John Smith", "1986-11-27 Mejía", "a\tb", "a\nb", "a,b",
                          "", String(repeating: "a", count: 129)]

    @Test(arguments: phiLike) func actorRejected(_ value: String) {
        #expect(throws: AuditError.invalidField(.actor)) {
            try AuditEvent(action: .read, outcome: .success, actor: value)
        }
    }

    @Test(arguments: phiLike + ["1986-11-27", "Wrong-passphrase", "9lives", "a_b", "a:b"])
    func reasonCodeRejected(_ value: String) {
        #expect(throws: AuditError.invalidField(.reasonCode)) {
            try AuditEvent(action: .vaultOpen, outcome: .denied, actor: "alice",
                           reasonCode: value)
        }
    }

    @Test(arguments: phiLike + ["1986-11-27", "0123456789ABCDEF0123456789ABCDEF",
                                String(sampleObjectID.dropLast()), sampleObjectID + "0",
                                "0123456789abcdef0123456789abcdeg"])
    func objectIDRejected(_ value: String) {
        #expect(throws: AuditError.invalidField(.objectIDs)) {
            try AuditEvent(action: .read, outcome: .success, actor: "alice",
                           objectIDs: [sampleObjectID, value])
        }
    }

    @Test(arguments: phiLike + ["patient", "Patient1", "P", "Pat ient", "Mejía", "1986-11-27"])
    func resourceTypeRejected(_ value: String) {
        #expect(throws: AuditError.invalidField(.resourceType)) {
            try AuditEvent(action: .read, outcome: .success, actor: "alice",
                           resourceType: value)
        }
    }

    @Test func acceptedForms() throws {
        let event = try AuditEvent(
            action: .export, outcome: .success, actor: "dr.jones+ops@clinic/a:b-1",
            resourceType: "MedicationRequest", objectIDs: [sampleObjectID],
            reasonCode: "integrity-error", count: 0)
        #expect(event.resourceType == "MedicationRequest")
    }

    @Test func negativeCountRejected() {
        #expect(throws: AuditError.invalidField(.count)) {
            try AuditEvent(action: .search, outcome: .success, actor: "alice", count: -1)
        }
    }

    @Test func errorMessagesCarryNoValues() {
        do {
            _ = try AuditEvent(action: .read, outcome: .success, actor: "1986-11-27 Mejía")
            Issue.record("expected rejection")
        } catch {
            let message = "\(error)"
            #expect(!message.contains("Mejía"))
            #expect(!message.contains("1986"))
        }
    }
}
