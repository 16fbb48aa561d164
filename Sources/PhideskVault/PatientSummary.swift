import Foundation
import PhideskCrypto
import PhideskFHIR

/// The few fields shown in a search result, sealed per patient so a search can label its
/// results without decrypting whole Patient resources.
struct PatientSummary: Codable, Equatable {
    var displayName: String
    var birthDate: String?
    var gender: String?

    init(demographics: PatientDemographics) {
        displayName = demographics.displayName
        birthDate = demographics.birthDate
        gender = demographics.gender
    }

    static func aad(patientID: [UInt8]) -> [UInt8] {
        Array("phidesk.patient-summary.v1".utf8) + patientID
    }

    func sealed(with cipher: any RecordCipher, for patientID: [UInt8]) throws -> [UInt8] {
        let plaintext = Array(try JSONEncoder().encode(self))
        return try cipher.seal(plaintext, authenticating: Self.aad(patientID: patientID))
    }

    static func open(_ sealed: [UInt8], with cipher: any RecordCipher, for patientID: [UInt8]) throws
        -> PatientSummary
    {
        let plaintext = try cipher.open(sealed, authenticating: aad(patientID: patientID))
        return try plaintext.withUnsafeBytes { bytes in
            try JSONDecoder().decode(PatientSummary.self, from: Data(bytes))
        }
    }
}
