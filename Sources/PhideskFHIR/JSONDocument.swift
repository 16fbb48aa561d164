internal import CJSONC

/// Resource limits applied while parsing untrusted JSON.
public struct JSONLimits: Sendable, Equatable {
    /// Upper bound for `maxDepth`, so that every recursive walker in this module
    /// (which never goes deeper than the parsed tree) stays far from stack exhaustion.
    public static let hardMaxDepth = 1024

    /// Maximum nesting of objects/arrays; `{"a":[1]}` has depth 2.
    public var maxDepth: Int
    /// Maximum length in bytes of any single string value.
    public var maxStringBytes: Int
    /// Maximum size in bytes of the whole input.
    public var maxInputBytes: Int

    /// Limits are clamped to what json-c can represent (`int` lengths) and to
    /// `hardMaxDepth`.
    public init(
        maxDepth: Int = 64,
        maxStringBytes: Int = 8 << 20,
        maxInputBytes: Int = 256 << 20
    ) {
        self.maxDepth = min(max(maxDepth, 1), Self.hardMaxDepth)
        self.maxStringBytes = max(maxStringBytes, 0)
        self.maxInputBytes = min(max(maxInputBytes, 0), Int(Int32.max) - 1)
    }

    /// Depth 64, strings up to 8 MiB, input up to 256 MiB.
    public static let `default` = JSONLimits()
}

/// A parsed JSON text, owning the json-c tree.
///
/// Parsing is strict (RFC 8259 plus UTF-8 validation) and bounded by `JSONLimits`.
/// Numbers keep their original text for non-integers, so decimals such as `1.00`
/// or `1E-22` serialise unchanged.
///
/// LIMITATION: json-c turns the integer `-0` into `0`; the sign is lost.
/// LIMITATION: duplicate object keys are accepted and the last one wins (json-c).
/// LIMITATION: string limits are checked after json-c built the tree, so a
/// rejected input may briefly need about twice its size in memory.
///
/// Not `Sendable`: json-c caches serialisation buffers inside the tree, so a
/// document must stay on one task at a time.
public final class JSONDocument {
    let rootObject: OpaquePointer?

    /// The limits the document was parsed with.
    public let limits: JSONLimits

    private init(rootObject: OpaquePointer?, limits: JSONLimits) {
        self.rootObject = rootObject
        self.limits = limits
    }

    deinit {
        json_object_put(rootObject)
    }

    /// The top-level value.
    public var root: JSONNode {
        JSONNode(document: self, object: rootObject)
    }

    /// Parses and validates `bytes` against `limits`.
    public static func parse(
        _ bytes: [UInt8],
        limits: JSONLimits = .default
    ) throws(FHIRError) -> JSONDocument {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(FHIRError) in try parse(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// Parses and validates the bytes of `buffer` against `limits`.
    public static func parse(
        _ buffer: UnsafeRawBufferPointer,
        limits: JSONLimits = .default
    ) throws(FHIRError) -> JSONDocument {
        guard buffer.count <= limits.maxInputBytes else {
            throw .inputTooLarge(limit: limits.maxInputBytes)
        }
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw .malformedJSON(offset: 0, line: 1, reason: "empty input")
        }
        // json-c counts the outermost container as one level too many.
        guard let tok = json_tokener_new_ex(Int32(limits.maxDepth + 1)) else {
            throw .malformedJSON(offset: 0, line: 1, reason: "parser allocation failed")
        }
        defer { json_tokener_free(tok) }
        json_tokener_set_flags(tok, Int32(JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8))

        let chars = base.assumingMemoryBound(to: CChar.self)
        var object = json_tokener_parse_ex(tok, chars, Int32(buffer.count))
        var error = json_tokener_get_error(tok)
        var errorOffset = json_tokener_get_parse_end(tok)
        if error == json_tokener_continue {
            // A bare top-level number or literal is only complete once json-c
            // sees a delimiter; feeding one also tells truncation apart.
            object = json_tokener_parse_ex(tok, " ", 1)
            error = json_tokener_get_error(tok)
            errorOffset = buffer.count
        }
        guard error == json_tokener_success else {
            json_object_put(object)
            throw mapError(error, offset: min(errorOffset, buffer.count), buffer: buffer,
                           limits: limits)
        }

        let document = JSONDocument(rootObject: object, limits: limits)
        try validate(object, path: JSONPath.root, limits: limits)
        return document
    }

    private static func mapError(
        _ error: json_tokener_error,
        offset: Int,
        buffer: UnsafeRawBufferPointer,
        limits: JSONLimits
    ) -> FHIRError {
        let line = lineNumber(at: offset, in: buffer)
        switch error {
        case json_tokener_continue:
            return .malformedJSON(offset: offset, line: line, reason: "unexpected end of input")
        case json_tokener_error_depth:
            return .nestingTooDeep(offset: offset, line: line, limit: limits.maxDepth)
        case json_tokener_error_parse_utf8_string:
            return .invalidUTF8(offset: offset, line: line)
        default:
            // json-c's descriptions are fixed texts, never echoes of the input.
            let reason = String(cString: json_tokener_error_desc(error))
            return .malformedJSON(offset: offset, line: line, reason: reason)
        }
    }

    static func lineNumber(at offset: Int, in buffer: UnsafeRawBufferPointer) -> Int {
        var line = 1
        for byte in buffer.prefix(offset) where byte == 0x0A {
            line += 1
        }
        return line
    }

    /// Enforces what json-c does not: string length limit, and numbers that
    /// json-c silently clamped or that JSON cannot represent.
    /// Recursion depth is bounded by the parser's depth limit.
    private static func validate(
        _ object: OpaquePointer?,
        path: @autoclosure () -> String,
        limits: JSONLimits
    ) throws(FHIRError) {
        switch json_object_get_type(object) {
        case json_type_object:
            var iter = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iter, &end) == 0 {
                let child = json_object_iter_peek_value(&iter)
                let namePointer = json_object_iter_peek_name(&iter)
                try validate(child, path: JSONPath.appending(
                    path(), key: namePointer.map { String(cString: $0) } ?? ""), limits: limits)
                json_object_iter_next(&iter)
            }
        case json_type_array:
            let count = json_object_array_length(object)
            for index in 0..<count {
                let child = json_object_array_get_idx(object, index)
                try validate(child, path: JSONPath.appending(path(), index: index),
                             limits: limits)
            }
        case json_type_string:
            if Int(json_object_get_string_len(object)) > limits.maxStringBytes {
                throw .stringTooLong(path: path(), limit: limits.maxStringBytes)
            }
        case json_type_int:
            if isClampedInteger(object) {
                throw .numberOutOfRange(path: path())
            }
        case json_type_double:
            // json-c accepts NaN/Infinity even in strict mode, and very large
            // exponents overflow to infinity.
            if !json_object_get_double(object).isFinite {
                throw .numberOutOfRange(path: path())
            }
        default:
            break
        }
    }

    /// json-c clamps integers outside int64/uint64 to the extreme values, so an
    /// extreme value is indistinguishable from an overflow.
    /// LIMITATION: the exact values INT64_MIN, INT64_MAX and UINT64_MAX are rejected too.
    static func isClampedInteger(_ object: OpaquePointer?) -> Bool {
        let signed = json_object_get_int64(object)
        let unsigned = json_object_get_uint64(object)
        if signed == Int64.min || unsigned == UInt64.max {
            return true
        }
        return signed == Int64.max && unsigned == UInt64(Int64.max)
    }
}
