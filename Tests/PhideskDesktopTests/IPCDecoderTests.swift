import Foundation
import PhideskPolicy
import PhideskVault
import Testing

@testable import PhideskDesktop

/// The IPC payload schemas and the sender rule, without a display.
struct IPCDecoderTests {
    static func decode(_ text: String) -> Result<IPCCommand, IPCRejection> {
        do throws(IPCRejection) {
            return .success(try IPCCommand.decode(Array(text.utf8)))
        } catch {
            return .failure(error)
        }
    }

    @Test func acceptsDeclaredCommands() {
        #expect(Self.decode(#"{"command":"session.status","payload":{}}"#)
            == .success(.sessionStatus))
        #expect(Self.decode(#"{"command":"session.lock","payload":{}}"#) == .success(.lock))
        #expect(Self.decode(
            #"{"command":"session.signIn","payload":{"login":"a","password":"b","code":"123456"}}"#)
            == .success(.signIn(login: "a", password: "b", code: "123456")))
        #expect(Self.decode(
            #"{"command":"patients.search","payload":{"family":"Doe","birthDate":"1980-01-02"}}"#)
            == .success(.search(PatientQuery(family: "Doe", birthDate: "1980-01-02"))))
        let id = String(repeating: "ab", count: 16)
        #expect(Self.decode(#"{"command":"patient.summary","payload":{"patientID":"\#(id)"}}"#)
            == .success(.summary(patientID: id)))
        #expect(Self.decode(#"{"command":"link.open","payload":{"url":"https://hl7.org/fhir/"}}"#)
            == .success(.openLink("https://hl7.org/fhir/")))
    }

    /// The longest password the policy allows (128 scalars), in 4-byte characters, gets
    /// through; one more is refused.
    @Test func longestAllowedPasswordFits() {
        func signIn(_ password: String) -> Result<IPCCommand, IPCRejection> {
            Self.decode(#"{"command":"session.signIn","payload":"#
                + #"{"login":"a","password":"\#(password)","code":"123456"}}"#)
        }
        let longest = String(repeating: "\u{1F600}", count: 128)
        #expect(signIn(longest) == .success(.signIn(login: "a", password: longest,
                                                    code: "123456")))
        #expect(signIn(longest + "x") == .failure(.badPayload))
    }

    @Test(arguments: [
        (#"{"command":"vault.export","payload":{}}"#, IPCRejection.unknownCommand),
        (#"{"command":"session.status","payload":{"x":1}}"#, .badPayload),
        (#"{"command":"session.status","payload":[]}"#, .badPayload),
        (#"{"command":"session.status"}"#, .malformed),
        (#"{"command":"session.status","payload":{},"extra":1}"#, .malformed),
        (#"{"command":1,"payload":{}}"#, .malformed),
        (#"[1]"#, .malformed),
        ("not json", .malformed),
        (#"{"command":"patients.search","payload":{}}"#, .badPayload),
        (#"{"command":"patients.search","payload":{"name":5}}"#, .badPayload),
        (#"{"command":"patients.search","payload":{"name":true}}"#, .badPayload),
        (#"{"command":"patients.search","payload":{"name":null}}"#, .badPayload),
        (#"{"command":"patients.search","payload":{"name":""}}"#, .badPayload),
        (#"{"command":"patients.search","payload":{"birthDate":"1980/01/02"}}"#, .badPayload),
        (#"{"command":"patients.search","payload":{"name":"a\u0000"}}"#, .badPayload),
        (#"{"command":"patient.summary","payload":{"patientID":"#
            + #""ABABABABABABABABABABABABABABABAB"}}"#, .badPayload),
        (#"{"command":"patient.summary","payload":{"patientID":"abc"}}"#, .badPayload),
        (#"{"command":"session.signIn","payload":{"login":"a","password":"b"}}"#, .badPayload),
        (#"{"command":"link.open","payload":{"url":"http://hl7.org/"}}"#, .linkNotAllowed),
        (#"{"command":"link.open","payload":{"url":"https://hl7.org.evil.example/"}}"#,
         .linkNotAllowed),
        (#"{"command":"link.open","payload":{"url":"https://a@hl7.org/"}}"#, .linkNotAllowed),
        (#"{"command":"link.open","payload":{"url":"https://hl7.org:444/"}}"#, .linkNotAllowed),
        // Text the page could smuggle into the confirmation dialog.
        (#"{"command":"link.open","payload":{"url":"https://hl7.org/a b"}}"#, .linkNotAllowed),
        (#"{"command":"link.open","payload":{"url":"https://hl7.org/a\u2028OK"}}"#,
         .linkNotAllowed),
        (#"{"command":"link.open","payload":{"url":"https://hl7.org/\u202Emoc.live"}}"#,
         .linkNotAllowed),
        (#"{"command":"link.open","payload":{"url":"https://hl7.org/a\u00A0b"}}"#,
         .linkNotAllowed),
    ])
    func rejects(body: String, reason: IPCRejection) {
        #expect(Self.decode(body) == .failure(reason))
    }

    @Test func rejectsOversize() {
        let long = String(repeating: "a", count: 101)
        #expect(Self.decode(#"{"command":"patients.search","payload":{"name":"\#(long)"}}"#)
            == .failure(.badPayload))
        let huge = String(repeating: " ", count: IPCCommand.maximumBodyBytes + 1)
        #expect(Self.decode(huge + #"{"command":"session.status","payload":{}}"#)
            == .failure(.oversize))
    }

    @Test func randomBytesNeverDecode() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0...200, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect((try? IPCCommand.decode(bytes)) == nil)
        }
    }

    @Test func senderRule() {
        let good = IPCSender(isOurView: true, method: "POST", origin: nil,
                             contentType: "application/json", viewURI: "app://phidesk/index.html")
        #expect(good.isTrusted)
        var sender = good
        sender.origin = "app://phidesk"
        #expect(sender.isTrusted)
        for change in [
            { (s: inout IPCSender) in s.isOurView = false },
            { $0.method = "GET" },
            { $0.origin = "null" },
            { $0.origin = "https://evil.example" },
            { $0.origin = "app://phidesk.evil" },
            { $0.contentType = "text/plain;charset=UTF-8" },
            { $0.contentType = nil },
            { $0.viewURI = "https://example.org/" },
            { $0.viewURI = nil },
        ] {
            var bad = good
            change(&bad)
            #expect(!bad.isTrusted)
        }
    }

    @Test func optionsParse() {
        #expect(Options.parse(["--vault", "/v", "--allow-root"])?.vault == "/v")
        #expect(Options.parse(["--vault=/v=w"])?.vault == "/v=w")
        #expect(Options.parse(["--help"])?.help == true)
        #expect(Options.parse(["--vault"]) == nil)
        #expect(Options.parse(["--bogus"]) == nil)
    }
}

/// The registry's declared session requirement against what the router does signed out.
struct IPCSessionRequirementTests {
    @Test func commandsDeclaredToNeedASessionAreRefusedSignedOut() throws {
        let broker = Broker(location: VaultLocation(directory: "/nonexistent/phidesk-vault"),
                            policy: try AccessPolicy.bundledDefault())
        let router = IPCRouter(broker: broker, linkOpener: RecordingLinkOpener())
        let locked = Array(#"{"error":"locked","ok":false}"#.utf8)
        let commands: [IPCCommand] = [
            .sessionStatus, .signIn(login: "a", password: "b", code: "123456"), .lock,
            .search(PatientQuery(family: "doe")),
            .summary(patientID: String(repeating: "ab", count: 16)),
            .openLink("https://hl7.org/fhir/"),
        ]
        #expect(commands.count == IPCCommand.names.count, "one sample per declared command")
        for command in commands {
            let reply = router.execute(command)
            #expect((reply == locked) == command.needsSession, "\(command)")
        }
    }
}
