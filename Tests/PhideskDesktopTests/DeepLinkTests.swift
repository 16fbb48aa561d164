import PhideskDesktop
import Testing

@Suite struct DeepLinkTests {
    static let id = "0123456789abcdef0123456789abcdef"

    @Test func acceptsTheTwoActions() {
        #expect(DeepLink.parse("phidesk://patient/\(Self.id)") == .success(.patient(id: Self.id)))
        #expect(DeepLink.parse("phidesk://search?family=OHara")
            == .success(.search(family: "OHara")))
        #expect(DeepLink.parse("phidesk://search?family=" + String(repeating: "z", count: 64))
            == .success(.search(family: String(repeating: "z", count: 64))))
    }

    static let bad: [(String, DeepLink.Rejection)] = [
        ("", .notASCII),
        ("phidesk://patient/\(id) ", .notASCII),
        ("phidesk://patient/\(id)\u{0}", .notASCII),
        ("phidesk://patient/\(id)\n", .notASCII),
        ("phidesk://search?family=M\u{0435}jia", .notASCII),
        ("phidesk://search?family=Müller", .notASCII),
        ("PHIDESK://patient/\(id)", .wrongScheme),
        ("phidesk:patient/\(id)", .wrongScheme),
        ("phidesk:/patient/\(id)", .wrongScheme),
        ("https://patient/\(id)", .wrongScheme),
        ("xphidesk://patient/\(id)", .wrongScheme),
        ("phidesk://user@patient/\(id)", .authority),
        ("phidesk://user:pw@patient/\(id)", .authority),
        ("phidesk://patient:8080/\(id)", .authority),
        ("phidesk://%70atient/\(id)", .authority),
        ("phidesk://patient/\(id)#summary", .badArgument),
        ("phidesk://patient/\(id)/", .badArgument),
        ("phidesk://patient/\(id)?x=1", .badArgument),
        ("phidesk://patient/0123456789ABCDEF0123456789ABCDEF", .badArgument),
        ("phidesk://patient/0123456789abcdef0123456789abcde", .badArgument),
        ("phidesk://patient/0123456789abcdef0123456789abcdef0", .badArgument),
        ("phidesk://patient/../../etc/passwd", .badArgument),
        ("phidesk://patient/%30123456789abcdef0123456789abcde", .badArgument),
        ("phidesk://patient//\(id)", .badArgument),
        ("phidesk://search?family=", .badArgument),
        ("phidesk://search?family=O'Hara", .badArgument),
        ("phidesk://search?family=Smith&given=John", .badArgument),
        ("phidesk://search?given=John", .badArgument),
        ("phidesk://search?family=Smith#x", .badArgument),
        ("phidesk://search?family=" + String(repeating: "a", count: 65), .badArgument),
        ("phidesk://search/?family=Smith", .badArgument),
        ("phidesk://search?family=Smi%74h", .badArgument),
        ("phidesk://export?all=1", .unknownAction),
        ("phidesk://Patient/\(id)", .unknownAction),
        ("phidesk://", .unknownAction),
        ("phidesk://lock", .unknownAction),
        ("phidesk://search?family=" + String(repeating: "a", count: 190), .tooLong),
        ("phidesk://patient/" + String(repeating: "0", count: 500), .tooLong),
    ]

    @Test func refusesMalformedLinks() {
        #expect(Self.bad.count >= 15)
        for (text, reason) in Self.bad {
            #expect(DeepLink.parse(text) == .failure(reason), "\(text.debugDescription)")
        }
    }

    @Test func lengthCapCountsBytes() {
        // 200 bytes in total is the most; a valid link is far shorter anyway.
        let longest = "phidesk://search?family=" + String(repeating: "a", count: 64)
        #expect(longest.utf8.count <= DeepLink.maximumLength)
        #expect(DeepLink.parse(String(repeating: "a", count: 201)) == .failure(.tooLong))
    }

    @Test func optionsTakeOneLinkOnly() {
        #expect(Options.parse(["phidesk://patient/\(Self.id)"])?.deepLink
            == "phidesk://patient/\(Self.id)")
        // A malformed link still reaches the parser (to be refused and audited there).
        #expect(Options.parse(["PHIDESK:junk"])?.deepLink == "PHIDESK:junk")
        #expect(Options.parse(["phidesk://a", "phidesk://b"]) == nil)
        #expect(Options.parse(["https://example.org/"]) == nil)
        #expect(Options.parse(["--vault"]) == nil)
    }
}
