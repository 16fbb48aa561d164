import Testing
@testable import PhideskFHIR

@Suite struct JSONDocumentTests {
    private func parseError(_ text: String, limits: JSONLimits = .default) -> FHIRError? {
        parseError(Array(text.utf8), limits: limits)
    }

    private func parseError(_ bytes: [UInt8], limits: JSONLimits = .default) -> FHIRError? {
        do {
            _ = try JSONDocument.parse(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func nodeAccessors() throws {
        let text = #"{"b":[1,2.50,"x\u0000y"],"a":null,"c":true}"#
        let doc = try JSONDocument.parse(Array(text.utf8))
        let root = doc.root
        #expect(root.kind == .object)
        #expect(root.keys == ["b", "a", "c"])
        #expect(root["a"]?.kind == .null)
        #expect(root["missing"] == nil)
        #expect(root["c"]?.boolValue == true)
        let array = try #require(root["b"])
        #expect(array.count == 3)
        #expect(array.element(at: 0)?.int64Value == 1)
        #expect(array.element(at: 1)?.numberText == "2.50")
        #expect(array.element(at: 2)?.stringValue == "x\u{0}y")
        #expect(array.element(at: 3) == nil)
        #expect(String(decoding: root.serialized(), as: UTF8.self) == text)
    }

    @Test func truncatedJSONReportsOffsetAndLine() {
        let error = parseError("{\n  \"a\": [1,\n")
        #expect(error == .malformedJSON(offset: 13, line: 3, reason: "unexpected end of input"))
    }

    @Test func syntaxErrorReportsPosition() {
        #expect(parseError("{\"a\":1}\n x") == .malformedJSON(offset: 9, line: 2,
                                                            reason: "unexpected character"))
        #expect(parseError("") == .malformedJSON(offset: 0, line: 1, reason: "empty input"))
    }

    @Test func invalidUTF8IsRejected() {
        let bytes: [UInt8] = Array(#"{"name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        guard case .invalidUTF8(let offset, let line)? = parseError(bytes) else {
            Issue.record("expected invalidUTF8")
            return
        }
        #expect(line == 1)
        #expect(offset >= 9 && offset <= 11)
    }

    @Test func deepNestingIsRejectedQuickly() {
        let depth = 100_000
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: depth)
            + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        #expect(parseError(bytes) == .nestingTooDeep(offset: 65, line: 1, limit: 64))
        let limits = JSONLimits(maxDepth: 3)
        #expect(parseError("[[[1]]]", limits: limits) == nil)
        #expect(parseError("[[[[1]]]]", limits: limits) != nil)
    }

    @Test func longStringIsRejectedWithPath() {
        var bytes = Array(#"{"resourceType":"Binary","data":["#.utf8)
        bytes += [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "A"), count: 50 << 20)
        bytes += Array(#""]}"#.utf8)
        #expect(parseError(bytes) == .stringTooLong(path: "$.data[0]", limit: 8 << 20))
    }

    @Test func integerOverflowIsRejected() {
        #expect(parseError(#"{"a":{"b":[99999999999999999999999]}}"#)
            == .numberOutOfRange(path: "$.a.b[0]"))
        #expect(parseError(#"{"a":-99999999999999999999999}"#) == .numberOutOfRange(path: "$.a"))
        #expect(parseError(#"{"a":NaN}"#) == .numberOutOfRange(path: "$.a"))
        #expect(parseError(#"{"a":18446744073709551614}"#) == nil)
    }

    @Test func inputSizeLimit() {
        let limits = JSONLimits(maxInputBytes: 4)
        #expect(parseError("[1,2,3]", limits: limits) == .inputTooLarge(limit: 4))
    }

    @Test func oddKeysAreNotEchoedInPaths() {
        let error = parseError(#"{"Jane Doe 1970":[1e999]}"#)
        #expect(error == .numberOutOfRange(path: "$[?][0]"))
    }

    @Test func semanticEquality() throws {
        #expect(try JSONDocument.jsonEqual(Array(#"{"a":1,"b":[1.50,"x"]}"#.utf8),
                                           Array(#" { "b" : [1.50, "x"], "a" : 1 }"#.utf8)))
        #expect(try !JSONDocument.jsonEqual(Array(#"{"a":1.0}"#.utf8), Array(#"{"a":1.00}"#.utf8)))
        #expect(try !JSONDocument.jsonEqual(Array(#"{"a":1}"#.utf8), Array(#"{"a":1.0}"#.utf8)))
        #expect(try !JSONDocument.jsonEqual(Array("[1,2]".utf8), Array("[2,1]".utf8)))
        #expect(try !JSONDocument.jsonEqual(Array(#"{"a":1}"#.utf8), Array(#"{"a":1,"b":2}"#.utf8)))
    }
}
