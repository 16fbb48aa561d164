import Foundation
import PhideskCrypto
import Testing

@testable import PhideskAuth

private func secure(_ text: String) -> SecureBytes {
    SecureBytes(copying: Array(text.utf8))
}

private func problems(
    _ password: String,
    user: String = "akowalski",
    name: String = "Anna Kowalski"
) -> [PasswordProblem] {
    PasswordPolicy.check(secure(password), userName: user, displayName: name)
}

@Suite struct PasswordPolicyTests {
    @Test func goodPassphraseIsAccepted() {
        #expect(problems("violet tractor umbrella hinge").isEmpty)
        #expect(problems("Mój kot lubi śledzie").isEmpty)
    }

    @Test func tooShortAndTooLong() {
        #expect(problems("short pass") == [.tooShort(minimum: 12)])
        #expect(problems("").contains(.tooShort(minimum: 12)))
        let long = String(repeating: "violet tractor ", count: 9)
        #expect(problems(long).contains(.tooLong(maximum: 128)))
    }

    @Test func countsUnicodeScalarsNotBytes() {
        // 11 "é" are 22 bytes but 11 characters: too short. 12 is long enough.
        #expect(problems("ébène forêt").contains(.tooShort(minimum: 12)))
        let elevenAccents = String(repeating: "é", count: 11)
        #expect(problems(elevenAccents).contains(.tooShort(minimum: 12)))
        let twelveAccents = String(repeating: "é", count: 12)
        #expect(!problems(twelveAccents).contains(.tooShort(minimum: 12)))
        // … though one repeated character is refused for another reason.
        #expect(problems(twelveAccents) == [.repetitiveOrSequential])
        #expect(problems("żółć gęślą jaźń").isEmpty)
    }

    @Test func rejectsUserNameAndNameParts() {
        #expect(problems("my akowalski secret") == [.containsName])
        #expect(problems("A.Kowalski-garden-2024") == [.containsName])
        #expect(problems("purple anna tractor") == [.containsName])
        #expect(problems("KOWALSKI rides horses") == [.containsName])
        #expect(problems("x", user: "longusername", name: "").contains(.tooShort(minimum: 12)))
        #expect(problems("drjones!!!!!", user: "dr.jones", name: "") == [.containsName])
        // Two-letter name parts are not searched for.
        #expect(problems("violet tractor umbrella", user: "jo", name: "Jo Li").isEmpty)
    }

    @Test func rejectsCommonPasswordsIgnoringCaseAndPunctuation() {
        #expect(problems("password1234") == [.common])
        #expect(problems("PASSWORD 1234") == [.common])
        #expect(problems("iloveyou12345") == [.common])
        #expect(problems("Summer2024!!") == [.common])
        #expect(problems("Welcome@2024") == [.common])
        #expect(problems("qwertyuiop123") == [.common])
        #expect(problems("1qaz2wsx3edc") == [.common])
    }

    @Test func rejectsRepetitionAndSequences() {
        #expect(problems("aaaaaaaaaaaa") == [.repetitiveOrSequential])
        #expect(problems("123456789012") == [.repetitiveOrSequential])
        #expect(problems("abcdefghijkl") == [.repetitiveOrSequential])
        #expect(problems("LKJIHGFEDCBA") == [.repetitiveOrSequential])
        #expect(problems("210987654321") == [.repetitiveOrSequential])
        #expect(problems("abababababab") == [.repetitiveOrSequential])
        #expect(problems("1-2-3-4-5-6-7-8") == [.repetitiveOrSequential])
        #expect(problems("!!!!!!!!!!!!!") == [.repetitiveOrSequential])
    }

    @Test func commonListIsSubstantial() {
        #expect(CommonPasswords.entries.count >= 150)
        #expect(CommonPasswords.entries.allSatisfy { $0.unicodeScalars.count >= 12 })
    }

    @Test func invalidUTF8IsReported() {
        let bytes = SecureBytes(copying: [0x61, 0xff, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
                                          0x68, 0x69, 0x6a, 0x6b, 0x6c])
        #expect(PasswordPolicy.check(bytes, userName: "u", displayName: "") == [.invalidEncoding])
    }

    @Test func messagesNeverEchoThePassword() {
        let password = "password1234"
        for problem in problems(password) + problems("short pass") {
            #expect(!problem.message.contains("password1234"))
            #expect(!problem.message.contains("short pass"))
        }
    }
}

@Suite struct PasswordHashTests {
    @Test func verifiesRightAndRejectsWrongPassword() throws {
        let record = try PasswordHash.make(password: secure("violet tractor umbrella"))
        #expect(record.verify(password: secure("violet tractor umbrella")))
        #expect(!record.verify(password: secure("violet tractor umbrellA")))
        #expect(!record.verify(password: secure("")))
    }

    @Test func recordsAlgorithmAndOWASPParameters() throws {
        let record = try PasswordHash.make(password: secure("violet tractor umbrella"))
        #expect(record.algorithm == "argon2id")
        #expect(record.parameters.memoryKiB == 19456)
        #expect(record.parameters.iterations == 2)
        #expect(record.parameters.parallelism == 1)
        #expect(record.salt.count == 32)
        #expect(record.hash.count == 64)
        #expect(!record.needsRehash)

        let again = try PasswordHash.make(password: secure("violet tractor umbrella"))
        #expect(again.salt != record.salt)
        #expect(again.hash != record.hash)
    }

    @Test func roundTripsThroughJSON() throws {
        let record = try PasswordHash.make(password: secure("violet tractor umbrella"))
        let data = try JSONEncoder().encode(record)
        let decoded = try JSONDecoder().decode(PasswordHash.self, from: data)
        #expect(decoded == record)
        #expect(decoded.verify(password: secure("violet tractor umbrella")))
        #expect(!String(decoding: data, as: UTF8.self).contains("violet"))
    }

    @Test func malformedOrForeignRecordsFailClosed() throws {
        var record = try PasswordHash.make(password: secure("violet tractor umbrella"))
        record.algorithm = "bcrypt"
        #expect(!record.verify(password: secure("violet tractor umbrella")))
        #expect(record.needsRehash)

        record = try PasswordHash.make(password: secure("violet tractor umbrella"))
        record.hash = "zz"
        #expect(!record.verify(password: secure("violet tractor umbrella")))
    }

    @Test func dummyVerifyReturnsFalseAndCostsAboutTheSame() throws {
        let password = secure("violet tractor umbrella")
        let record = try PasswordHash.make(password: password)
        let clock = ContinuousClock()

        // Warm up, then take the median of a few runs of each to damp scheduling noise.
        _ = record.verify(password: password)
        _ = PasswordHash.dummyVerify(password: password)
        func median(_ body: () -> Void) -> Duration {
            let times = (0..<5).map { _ in clock.measure(body) }.sorted()
            return times[2]
        }
        let real = median { _ = record.verify(password: password) }
        let dummy = median { #expect(!PasswordHash.dummyVerify(password: password)) }

        let ratio = dummy / real
        #expect(ratio > 0.5 && ratio < 2.0)
    }
}

@Suite struct RedactionTests {
    @Test func secretHoldingTypesPrintNothingSecret() throws {
        let secret = try TOTPSecret.generate()
        let base32 = try secret.revealBase32ForEnrolment()
        let code = try secret.code(at: Date())
        let texts = [String(describing: secret), String(reflecting: secret),
                     String(describing: secret.bytes)]
        for text in texts {
            #expect(!text.contains(base32))
            #expect(!text.contains(base32.prefix(8)))
            #expect(!text.contains(code))
        }

        let (revealed, _) = try RecoveryCodes.generate()
        let code0 = try RecoveryCodes.randomCode()
        let display = RecoveryCodes.displayForm(code0)
        #expect(!String(describing: code0).contains(display.prefix(5)))
        #expect(revealed.count == 10)

        let password = secure("violet tractor umbrella")
        #expect(!String(describing: password).contains("violet"))
        for error in [AuthError.randomSourceFailure, .oathFailure(code: -1), .qrEncodingFailure,
                      .invalidAccountName, .hashingFailure] {
            #expect(!error.description.isEmpty)
        }
    }
}
