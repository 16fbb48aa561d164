import Foundation
import PhideskCrypto
import Testing

@testable import PhideskAuth

/// The RFC 6238 Appendix B secret: the 20 ASCII bytes "12345678901234567890".
private func rfcSecret() -> TOTPSecret {
    TOTPSecret(bytes: SecureBytes(copying: Array("12345678901234567890".utf8)))
}

// RFC 6238 Appendix B, SHA-1 column: Unix time and the 8-digit code.
private let rfcVectors: [(time: Int64, code: String)] = [
    (59, "94287082"),
    (1_111_111_109, "07081804"),
    (1_111_111_111, "14050471"),
    (1_234_567_890, "89005924"),
    (2_000_000_000, "69279037"),
    (20_000_000_000, "65353130"),
]

@Suite struct TOTPTests {
    @Test func rfc6238EightDigitVectors() throws {
        let secret = rfcSecret()
        for vector in rfcVectors {
            let step = UInt64(vector.time) / 30
            #expect(try secret.code(step: step, digits: 8) == vector.code)
        }
    }

    @Test func sixDigitCodeIsLastSixDigitsOfVector() throws {
        let secret = rfcSecret()
        for vector in rfcVectors {
            let date = Date(timeIntervalSince1970: TimeInterval(vector.time))
            #expect(try secret.code(at: date) == String(vector.code.suffix(6)))
        }
    }

    @Test func acceptsCurrentStepAndReportsIt() throws {
        let secret = try TOTPSecret.generate()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let code = try secret.code(at: now)
        let result = TOTP.verify(code: code, secret: secret, at: now, lastAcceptedStep: nil)
        #expect(result == .accepted(step: 1_700_000_000 / 30))
    }

    @Test func acceptsOneStepOfDriftEitherWay() throws {
        let secret = try TOTPSecret.generate()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let step: UInt64 = 1_700_000_000 / 30
        for offset in [-30.0, 30.0] {
            let code = try secret.code(at: now.addingTimeInterval(offset))
            let result = TOTP.verify(code: code, secret: secret, at: now, lastAcceptedStep: nil)
            let expected = offset < 0 ? step - 1 : step + 1
            #expect(result == .accepted(step: expected))
        }
    }

    @Test func rejectsTwoStepsOfDrift() throws {
        let secret = try TOTPSecret.generate()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        for offset in [-60.0, 60.0] {
            let code = try secret.code(at: now.addingTimeInterval(offset))
            let result = TOTP.verify(code: code, secret: secret, at: now, lastAcceptedStep: nil)
            #expect(result == .invalid)
        }
    }

    @Test func rejectsReplayOfAcceptedStep() throws {
        let secret = try TOTPSecret.generate()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let code = try secret.code(at: now)
        guard case .accepted(let step) = TOTP.verify(
            code: code, secret: secret, at: now, lastAcceptedStep: nil)
        else {
            Issue.record("first use was not accepted")
            return
        }

        // Same code, a few seconds later, with the stored step: refused.
        let later = now.addingTimeInterval(5)
        #expect(TOTP.verify(code: code, secret: secret, at: later, lastAcceptedStep: step)
            == .replayed)

        // An earlier step's code is also refused once a later one was used.
        let older = try secret.code(at: now.addingTimeInterval(-30))
        #expect(TOTP.verify(code: older, secret: secret, at: now, lastAcceptedStep: step)
            == .replayed)

        // The next step's code still works.
        let next = try secret.code(at: now.addingTimeInterval(30))
        #expect(TOTP.verify(code: next, secret: secret, at: later, lastAcceptedStep: step)
            == .accepted(step: step + 1))
    }

    @Test func normalisesSpacesAndRejectsNonDigits() throws {
        let secret = rfcSecret()
        let date = Date(timeIntervalSince1970: 59)
        #expect(TOTP.verify(code: "287 082", secret: secret, at: date, lastAcceptedStep: nil)
            == .accepted(step: 1))
        #expect(TOTP.verify(code: " 2870 82 ", secret: secret, at: date, lastAcceptedStep: nil)
            == .accepted(step: 1))

        for bad in ["28708a", "28708", "2870822", "",
                    "287-082", "２８７０８２", "٢٨٧٠٨٢",
                    "287\t082", "+87082"] {
            #expect(TOTP.verify(code: bad, secret: secret, at: date, lastAcceptedStep: nil)
                == .invalid)
        }
    }

    @Test func wrongCodeIsInvalid() throws {
        let secret = rfcSecret()
        let date = Date(timeIntervalSince1970: 59)
        let wrong = "287083"
        #expect(TOTP.verify(code: wrong, secret: secret, at: date, lastAcceptedStep: nil)
            == .invalid)
    }

    @Test func timeBeforeEpochIsInvalid() {
        let secret = rfcSecret()
        let date = Date(timeIntervalSince1970: -100)
        #expect(TOTP.verify(code: "287082", secret: secret, at: date, lastAcceptedStep: nil)
            == .invalid)
    }

    @Test func generatedSecretsAreTwentyRandomBytes() throws {
        let first = try TOTPSecret.generate()
        let second = try TOTPSecret.generate()
        #expect(first.bytes.count == 20)
        #expect(!first.bytes.constantTimeEquals(second.bytes))
    }

    @Test func descriptionHidesSecretAndCodes() throws {
        let secret = rfcSecret()
        let base32 = try secret.revealBase32ForEnrolment()
        let code = try secret.code(at: Date(timeIntervalSince1970: 59))
        for text in [String(describing: secret), String(reflecting: secret), "\(secret)"] {
            #expect(!text.contains(base32))
            #expect(!text.contains("1234567890"))
            #expect(!text.contains(code))
        }
    }
}

@Suite struct EnrolmentTests {
    @Test func base32OfRFCSecret() throws {
        let base32 = try rfcSecret().revealBase32ForEnrolment()
        #expect(base32 == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    @Test func otpauthURIExactString() throws {
        let uri = try TOTPEnrolment.revealURIForEnrolment(
            secret: rfcSecret(), account: "dr.anna kovač@clinic:2")
        #expect(uri == "otpauth://totp/phidesk:dr.anna%20kova%C4%8D@clinic%3A2"
            + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=phidesk&algorithm=SHA1&digits=6&period=30")
    }

    @Test func plainAccountIsUnchanged() throws {
        let uri = try TOTPEnrolment.revealURIForEnrolment(secret: rfcSecret(), account: "alice")
        #expect(uri.hasPrefix("otpauth://totp/phidesk:alice?secret="))
    }

    @Test func rejectsEmptyOrControlAccount() {
        #expect(throws: AuthError.invalidAccountName) {
            try TOTPEnrolment.revealURIForEnrolment(secret: rfcSecret(), account: "")
        }
        #expect(throws: AuthError.invalidAccountName) {
            try TOTPEnrolment.revealURIForEnrolment(secret: rfcSecret(), account: "a\nb")
        }
    }
}
