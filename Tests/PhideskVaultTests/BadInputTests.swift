import Foundation
import PhideskAudit
import PhideskFHIR
import Testing

@testable import PhideskVault

/// Bad input must give a clear, specific error and store nothing of the file.
@Suite("Bad input changes nothing")
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: @Sendable () -> [UInt8]
        let matches: @Sendable (VaultError) -> Bool
        var testDescription: String { name }
    }

    static func patientBundle(appending extra: String) -> [UInt8] {
        let text = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"canary-p1",
               "name":[{"family":"Canaryfamily","given":["Canarygiven"]}],
               "birthDate":"1901-02-03"},"request":{"method":"POST","url":"Patient"}},
              {"fullUrl":"urn:uuid:o1","resource":{"resourceType":"Observation","id":"canary-o1",
               "status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:p1"}},
               "request":{"method":"POST","url":"Observation"}}\(extra)
            ]}
            """
        return Array(text.utf8)
    }

    static func inputProblem(_ check: @escaping @Sendable (FHIRError) -> Bool)
        -> @Sendable (VaultError) -> Bool
    {
        { error in
            if case .invalidInput(_, let problem) = error { return check(problem) }
            return false
        }
    }

    static let cases: [Case] = [
        Case(
            name: "truncated JSON",
            bytes: { Array(patientBundle(appending: "").dropLast(40)) },
            matches: inputProblem {
                if case .malformedJSON = $0 { return true }
                return false
            }),
        Case(
            name: "invalid UTF-8",
            bytes: {
                var bytes = patientBundle(appending: "")
                let index = bytes.firstIndex(of: UInt8(ascii: "C"))!
                bytes[index] = 0xff
                return bytes
            },
            matches: inputProblem {
                if case .invalidUTF8 = $0 { return true }
                return false
            }),
        Case(
            name: "missing resourceType in an entry",
            bytes: { patientBundle(appending: #",{"resource":{"id":"x"}}"#) },
            matches: inputProblem {
                $0 == .missingResourceType(path: "$.entry[2].resource.resourceType")
            }),
        Case(
            name: "resourceType that is not a string",
            bytes: { patientBundle(appending: #",{"resource":{"resourceType":42}}"#) },
            matches: inputProblem {
                $0 == .resourceTypeNotString(path: "$.entry[2].resource.resourceType")
            }),
        Case(
            name: "resourceType that is not a type name",
            bytes: { patientBundle(appending: #",{"resource":{"resourceType":"not a type"}}"#) },
            matches: inputProblem {
                $0 == .invalidResourceType(path: "$.entry[2].resource.resourceType")
            }),
        Case(
            name: "bundle entry without resource",
            bytes: { patientBundle(appending: #",{"fullUrl":"urn:uuid:x"}"#) },
            matches: inputProblem { $0 == .entryWithoutResource(path: "$.entry[2]") }),
        Case(
            name: "a 50 MB string",
            bytes: {
                let big = String(repeating: "A", count: 50 * 1024 * 1024)
                return patientBundle(
                    appending: #",{"resource":{"resourceType":"Basic","id":"b","#
                        + "\"note\":\"\(big)\"}}")
            },
            matches: inputProblem {
                if case .stringTooLong(let path, _) = $0 {
                    return path == "$.entry[2].resource.note"
                }
                return false
            }),
        Case(
            name: "JSON nested 100,000 levels deep",
            bytes: {
                let deep = String(repeating: "[", count: 100_000)
                    + String(repeating: "]", count: 100_000)
                return patientBundle(
                    appending: #",{"resource":{"resourceType":"Basic","x":"# + deep + "}}")
            },
            matches: inputProblem {
                if case .nestingTooDeep = $0 { return true }
                return false
            }),
        Case(
            name: "a reference cycle",
            bytes: {
                patientBundle(appending: """
                    ,{"fullUrl":"urn:uuid:a","resource":{"resourceType":"Observation","id":"a",
                      "subject":{"reference":"urn:uuid:b"}}},
                     {"fullUrl":"urn:uuid:b","resource":{"resourceType":"Observation","id":"b",
                      "subject":{"reference":"urn:uuid:a"}}}
                    """)
            },
            matches: { error in
                if case .referenceCycle(_, let path) = error {
                    return path.hasPrefix("$.entry[") && path.hasSuffix(".subject.reference")
                }
                return false
            }),
    ]

    @Test(arguments: cases)
    func rejectedWithSpecificErrorAndNothingStored(_ badCase: Case) throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        _ = try vault.importFiles([SharedData.synthea("6c8f3e83")])
        let before = try vault.counts()
        let directory = TestVaults.temporaryDirectory()
        let file = directory + "/bad.json"
        _ = FileManager.default.createFile(atPath: file, contents: Data(badCase.bytes()))

        var caught: VaultError?
        do {
            _ = try vault.importFiles([file])
        } catch let error as VaultError {
            caught = error
        }

        let error = try #require(caught, "import of \(badCase.name) did not fail")
        #expect(badCase.matches(error), "unexpected error: \(error)")
        #expect(error.description.contains(file), "the message names the file")
        #expect(Canaries.found(in: Array(error.description.utf8)).isEmpty)
        for canary in ["Canaryfamily", "Canarygiven", "1901-02-03", "canary-p1"] {
            #expect(!error.description.contains(canary))
        }
        #expect(try vault.counts() == before, "nothing of the bad file was stored")
        #expect(try !vault.containsResource(type: "Patient", id: "canary-p1"))

        // The failure is audited, and the chain is still intact.
        let last = try vault.audit.tail(count: 1)
        #expect(last.first?.action == .importBundle)
        #expect(last.first?.outcome == .failure)
        #expect(try vault.audit.verify().isIntact)
    }

    @Test func readingStopsAtTheSizeLimit() throws {
        let directory = TestVaults.temporaryDirectory()
        let file = directory + "/sixteen.json"
        _ = FileManager.default.createFile(atPath: file, contents: Data(repeating: 32, count: 16))
        let tooLarge = VaultError.invalidInput(file: file, problem: .inputTooLarge(limit: 15))

        #expect(try Vault.readFile(file, limit: 16).count == 16)
        #expect(throws: tooLarge) { _ = try Vault.readFile(file, limit: 15) }
        // An endless source is cut off at the limit instead of filling memory.
        #expect(throws: VaultError.invalidInput(
            file: "/dev/zero", problem: .inputTooLarge(limit: 1 << 20))) {
            _ = try Vault.readFile("/dev/zero", limit: 1 << 20)
        }
    }

    @Test func aGoodBundleAfterABadOneStillImports() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        let directory = TestVaults.temporaryDirectory()
        let good = directory + "/good.json"
        _ = FileManager.default.createFile(
            atPath: good, contents: Data(Self.patientBundle(appending: "")))

        let report = try vault.importFiles([good])
        #expect(report.created == 2)
        #expect(try vault.containsResource(type: "Observation", id: "canary-o1"))
    }

    @Test func wrongPassphraseIsClearAndChangesNothing() throws {
        let vault = try TestVaults.create()
        _ = try vault.importFiles([SharedData.synthea("6c8f3e83")])
        let location = vault.location
        vault.close()
        let before = FileManager.default.contents(atPath: location.databasePath)

        #expect(throws: VaultError.wrongPassphrase) {
            _ = try Vault.open(
                at: location, keyProvider: TestVaults.provider("not the passphrase at all"),
                actor: "tester")
        }
        #expect(FileManager.default.contents(atPath: location.databasePath) == before)

        // The failed attempt was spooled and joins the chain at the next successful open.
        let reopened = try TestVaults.open(location)
        defer { reopened.close() }
        let events = try reopened.audit.tail(count: 4)
        let spooled = try #require(events.first { $0.recordedUnauthenticated })
        #expect(spooled.action == .vaultOpen)
        #expect(spooled.outcome == .failure)
        #expect(spooled.reasonCode == "wrong-passphrase")
        #expect(spooled.severity == .alert)
        #expect(events.last?.outcome == .success)
        #expect(try reopened.audit.verify().isIntact)
        #expect(!FileManager.default.fileExists(atPath: location.pendingAuditPath))
    }
}
