import Foundation
import PhideskCrypto
import Testing

@testable import PhideskAuth

private func secure(_ text: String) -> SecureBytes {
    SecureBytes(copying: Array(text.utf8))
}

@Suite struct RecoveryCodesTests {
    @Test func generatesTenDistinctWellFormedCodes() throws {
        let (revealed, stored) = try RecoveryCodes.generate()
        #expect(revealed.count == 10)
        #expect(stored.count == 10)
        #expect(Set(revealed).count == 10)
        #expect(Set(stored.map(\.salt)).count == 10)

        let allowed = Set("23456789abcdefghjkmnpqrstuvwxyz")
        for code in revealed {
            let parts = code.split(separator: "-")
            #expect(parts.count == 2)
            #expect(parts.allSatisfy { $0.count == 5 })
            #expect(code.filter { $0 != "-" }.allSatisfy { allowed.contains($0) })
        }
        for entry in stored {
            #expect(entry.usedAt == nil)
            #expect(entry.parameters == RecoveryCodes.parameters)
            #expect(entry.salt.count == 32)
            #expect(entry.hash.count == 64)
        }
    }

    @Test func codeIsSingleUse() throws {
        var (revealed, stored) = try RecoveryCodes.generate()
        let index = RecoveryCodes.verify(secure(revealed[3]), against: stored)
        #expect(index == 3)

        stored[3].markUsed(at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(RecoveryCodes.verify(secure(revealed[3]), against: stored) == nil)

        // Other codes are unaffected.
        #expect(RecoveryCodes.verify(secure(revealed[7]), against: stored) == 7)
    }

    @Test func inputIsForgivingAboutCaseSpacesAndHyphens() throws {
        let (revealed, stored) = try RecoveryCodes.generate()
        let messy = " " + revealed[0].uppercased().replacingOccurrences(of: "-", with: " ") + " "
        #expect(RecoveryCodes.verify(secure(messy), against: stored) == 0)
        let bare = revealed[1].replacingOccurrences(of: "-", with: "")
        #expect(RecoveryCodes.verify(secure(bare), against: stored) == 1)
    }

    @Test func wrongOrMalformedCodeFails() throws {
        let (revealed, stored) = try RecoveryCodes.generate()

        // Change one character to another alphabet character.
        var characters = Array(revealed[0])
        characters[0] = characters[0] == "a" ? "b" : "a"
        #expect(RecoveryCodes.verify(secure(String(characters)), against: stored) == nil)

        for bad in ["", "abcde-fghij-k", "abcde", "0oo1l-iiiii", "abcde-fghi!"] {
            #expect(RecoveryCodes.verify(secure(bad), against: stored) == nil)
        }
    }

    @Test func storedCodesRoundTripThroughJSON() throws {
        let (revealed, stored) = try RecoveryCodes.generate()
        var used = stored
        used[2].markUsed(at: Date(timeIntervalSince1970: 1_700_000_000))
        let data = try JSONEncoder().encode(used)
        let decoded = try JSONDecoder().decode([StoredRecoveryCode].self, from: data)
        #expect(decoded == used)
        #expect(RecoveryCodes.verify(secure(revealed[2]), against: decoded) == nil)
        #expect(RecoveryCodes.verify(secure(revealed[4]), against: decoded) == 4)

        // The stored form never contains the code itself.
        let json = String(decoding: data, as: UTF8.self)
        for code in revealed {
            #expect(!json.contains(code))
            #expect(!json.contains(code.replacingOccurrences(of: "-", with: "")))
        }
    }
}
