import PhideskCrypto
import PhideskFHIR

/// The few fields shown in a search result, sealed per patient so a search can label its
/// results without decrypting whole Patient resources.
struct PatientSummary: Equatable {
    var displayName: String
    var birthDate: String?
    var gender: String?
    /// `deceasedDateTime` as written, `"yes"` for `deceasedBoolean: true`, nil when not
    /// deceased (or when the summary was written before this field existed).
    var deceased: String?

    init(demographics: PatientDemographics) {
        displayName = demographics.displayName
        birthDate = demographics.birthDate
        gender = demographics.gender
        deceased = demographics.isDeceased ? demographics.deceasedDateTime ?? "yes" : nil
    }

    static func aad(patientID: [UInt8]) -> [UInt8] {
        Array("phidesk.patient-summary.v1".utf8) + patientID
    }

    /// Layout: u8 version (2), then four fields (display name, birth date, gender,
    /// deceased), each a u16 big-endian byte count (0xFFFF for absent) and UTF-8 bytes.
    /// Version 1, still read, lacks the last field. Binary rather than JSON because a
    /// search decodes up to 50 of these per call.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [2]
        for field in [displayName, birthDate, gender, deceased] {
            guard let field else {
                bytes += [0xFF, 0xFF]
                continue
            }
            let utf8 = Array(field.utf8.prefix(0xFFFE))
            bytes += [UInt8(utf8.count >> 8), UInt8(utf8.count & 0xFF)] + utf8
        }
        return bytes
    }

    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 1, bytes[0] == 1 || bytes[0] == 2 else { return nil }
        var offset = 1
        var fields: [String?] = []
        for _ in 0..<(bytes[0] == 1 ? 3 : 4) {
            guard offset + 2 <= bytes.count else { return nil }
            let count = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            if count == 0xFFFF {
                fields.append(nil)
                continue
            }
            guard offset + count <= bytes.count else { return nil }
            fields.append(String(decoding: bytes[offset..<(offset + count)], as: UTF8.self))
            offset += count
        }
        guard let name = fields[0] else { return nil }
        displayName = name
        birthDate = fields[1]
        gender = fields[2]
        deceased = fields.count > 3 ? fields[3] : nil
    }

    func sealed(with cipher: any RecordCipher, for patientID: [UInt8]) throws -> [UInt8] {
        try cipher.seal(encoded(), authenticating: Self.aad(patientID: patientID))
    }

    static func open(_ sealed: [UInt8], with cipher: any RecordCipher, for patientID: [UInt8])
        throws -> PatientSummary
    {
        let plaintext = try cipher.open(sealed, authenticating: aad(patientID: patientID))
        guard let summary = plaintext.withUnsafeBytes({ PatientSummary(decoding: $0) }) else {
            throw VaultError.integrityFailure(recordID: patientID.hexString)
        }
        return summary
    }
}
