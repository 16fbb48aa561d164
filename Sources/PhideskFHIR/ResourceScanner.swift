internal import CJSONC
#if canImport(Glibc)
import Glibc
#endif

/// One pass over a resource's json-c tree that both writes its compact JSON and finds
/// what the vault indexes (references, `modifierExtension`).
///
/// The output is byte for byte what `json_object_to_json_string_ext` gives with
/// `JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE` (stored records must not
/// change, or re-importing a file would rewrite every record). Doing it here instead of
/// in json-c avoids a second walk and the print buffer json-c keeps on every serialised
/// object until the document is freed (large frees that made malloc consolidate).
///
/// One scanner is reused for all resources of a file: its output buffer grows to the
/// largest resource once. Not thread-safe. Recursion depth is bounded by the document's
/// parse depth limit.
final class ResourceScanner {
    private(set) var references: [FHIRReference] = []
    private(set) var sawModifierExtension = false
    private(set) var serialized: [UInt8] = []
    private(set) var ownerReferences: [FHIRReference] = []
    // Optional so a scan can take it out (and back) without copying its arrays.
    private var walker: Walker? = Walker()

    deinit {
        walker?.output.deallocate()
    }

    /// Scans the resource at `object`; `path` locates it for reference paths.
    /// `ownerFields` are the top-level fields whose references name the owner; their
    /// references come back in ``ownerReferences``, grouped in that order.
    func scan(_ object: OpaquePointer?, path: String, ownerFields: [StaticString] = []) {
        // The walk runs on a local struct: mutating a class's properties node by node
        // would pay a dynamic exclusivity check on every byte appended.
        var local = walker.take()!
        local.start(basePath: path, ownerFields: ownerFields)
        local.walk(object)
        serialized = [UInt8](UnsafeBufferPointer(start: local.output, count: local.count))
        references = local.references
        sawModifierExtension = local.sawModifierExtension
        var owners: [FHIRReference] = []
        for rank in ownerFields.indices {
            for (ownerRank, reference) in local.owners where ownerRank == rank {
                owners.append(reference)
            }
        }
        ownerReferences = owners
        local.references = []
        local.owners = []
        walker = local
    }
}

/// The state of one walk; its output buffer is kept and reused by the owning scanner.
private struct Walker {
    enum Step {
        case key(UnsafePointer<CChar>)
        case index(Int)
    }

    var references: [FHIRReference] = []
    /// Owner references with the position of their field in `ownerFields`.
    var owners: [(rank: Int, reference: FHIRReference)] = []
    var sawModifierExtension = false
    private var basePath = ""
    private var ownerFields: [StaticString] = []
    private var steps: [Step] = []
    private(set) var output: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 64 << 10
        output = .allocate(capacity: capacity)
        steps.reserveCapacity(32)
    }

    mutating func start(basePath: String, ownerFields: [StaticString]) {
        self.ownerFields = ownerFields
        references = []
        owners = []
        sawModifierExtension = false
        self.basePath = basePath
        steps.removeAll(keepingCapacity: true)
        count = 0
    }

    // MARK: - The walk

    mutating func walk(_ object: OpaquePointer?) {
        switch json_object_get_type(object) {
        case json_type_object:
            append(UInt8(ascii: "{"))
            var first = true
            var iter = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iter, &end) == 0 {
                defer { json_object_iter_next(&iter) }
                // json-c keys are never NULL; a missing name would be a json-c bug.
                guard let name = json_object_iter_peek_name(&iter) else { continue }
                let value = json_object_iter_peek_value(&iter)
                if !first { append(UInt8(ascii: ",")) }
                first = false
                append(UInt8(ascii: "\""))
                appendEscaped(UnsafeRawPointer(name), count: strlen(name))
                append(UInt8(ascii: "\""))
                append(UInt8(ascii: ":"))

                if Self.isKey(name, "modifierExtension") {
                    sawModifierExtension = true
                }
                steps.append(.key(name))
                if Self.isKey(name, "reference"), json_object_get_type(value) == json_type_string {
                    record(value)
                }
                walk(value)
                steps.removeLast()
            }
            append(UInt8(ascii: "}"))
        case json_type_array:
            append(UInt8(ascii: "["))
            let elements = json_object_array_length(object)
            for index in 0..<elements {
                if index > 0 { append(UInt8(ascii: ",")) }
                steps.append(.index(index))
                walk(json_object_array_get_idx(object, index))
                steps.removeLast()
            }
            append(UInt8(ascii: "]"))
        case json_type_string:
            append(UInt8(ascii: "\""))
            if let text = json_object_get_string(object) {
                appendEscaped(
                    UnsafeRawPointer(text), count: Int(json_object_get_string_len(object)))
            }
            append(UInt8(ascii: "\""))
        case json_type_int:
            appendInteger(object)
        case json_type_double:
            // A parsed decimal carries its original text as user data (json-c's
            // `json_object_new_double_s`), which is also what json-c prints.
            if let text = json_object_get_userdata(object) {
                let chars = text.assumingMemoryBound(to: CChar.self)
                appendRaw(UnsafeRawPointer(chars), count: strlen(chars))
            } else {
                appendLibraryText(object)
            }
        case json_type_boolean:
            if json_object_get_boolean(object) != 0 {
                appendRaw("true")
            } else {
                appendRaw("false")
            }
        default:
            appendRaw("null")
        }
    }

    /// Compares a json-c key with a literal; the first byte settles almost every key.
    private static func isKey(_ name: UnsafePointer<CChar>, _ literal: StaticString) -> Bool {
        let expected = literal.utf8Start
        guard UInt8(bitPattern: name.pointee) == expected.pointee else { return false }
        return strcmp(name, UnsafeRawPointer(expected).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// Notes a `"reference"` string, building its JSON path only now that it is needed.
    private mutating func record(_ value: OpaquePointer?) {
        guard let pointer = json_object_get_string(value), pointer.pointee != 0x23 else {
            return
        }
        let length = Int(json_object_get_string_len(value))
        let text = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length),
                          as: UTF8.self)
        // Built as bytes: String concatenation per step cost ~7k instructions a reference.
        var path = Array(basePath.utf8)
        for step in steps {
            switch step {
            case .key(let name):
                let key = UnsafeRawBufferPointer(start: name, count: strlen(name))
                if JSONPath.isPlainKey(key) {
                    path.append(UInt8(ascii: "."))
                    path.append(contentsOf: key)
                } else {
                    path.append(contentsOf: "[?]".utf8)
                }
            case .index(let index):
                path.append(UInt8(ascii: "["))
                path.append(contentsOf: String(index).utf8)
                path.append(UInt8(ascii: "]"))
            }
        }
        let jsonPath = String(decoding: path, as: UTF8.self)
        let reference = FHIRReference(jsonPath: jsonPath, reference: text)
        references.append(reference)
        if let rank = ownerRank() {
            owners.append((rank, reference))
        }
    }

    /// The rank of the owner field when the current `"reference"` sits at
    /// `<field>.reference` or `<field>[i].reference` of the resource itself.
    private func ownerRank() -> Int? {
        let field: UnsafePointer<CChar>
        switch (steps.count, steps.first) {
        case (2, .key(let name)?):
            field = name
        case (3, .key(let name)?):
            guard case .index = steps[1] else { return nil }
            field = name
        default:
            return nil
        }
        return ownerFields.firstIndex { Self.isKey(field, $0) }
    }

    // MARK: - Output

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: output, count: count)
        output.deallocate()
        output = grown
        capacity = newCapacity
    }

    private mutating func append(_ byte: UInt8) {
        reserve(1)
        output[count] = byte
        count += 1
    }

    private mutating func appendRaw(_ bytes: UnsafeRawPointer, count length: Int) {
        guard length > 0 else { return }
        reserve(length)
        (output + count).update(
            from: bytes.assumingMemoryBound(to: UInt8.self), count: length)
        count += length
    }

    private mutating func appendRaw(_ literal: StaticString) {
        appendRaw(UnsafeRawPointer(literal.utf8Start), count: literal.utf8CodeUnitCount)
    }

    /// JSON string escaping as json-c does it: `"` `\` and the controls `\b \f \n \r \t`
    /// by name, other bytes below 0x20 as `\u00xx` (lower-case hex); `/` and all other
    /// bytes (UTF-8 included) as they are.
    private mutating func appendEscaped(_ bytes: UnsafeRawPointer, count length: Int) {
        let input = bytes.assumingMemoryBound(to: UInt8.self)
        var runStart = 0
        var position = 0
        while position < length {
            // Most strings need no escaping: skip eight clean bytes per step.
            if position + 8 <= length,
               !Self.mayNeedEscape(bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            {
                position += 8
                continue
            }
            let byte = input[position]
            position += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            else { continue }
            appendRaw(input + runStart, count: position - 1 - runStart)
            runStart = position
            switch byte {
            case 0x08: appendRaw("\\b")
            case 0x0A: appendRaw("\\n")
            case 0x0D: appendRaw("\\r")
            case 0x09: appendRaw("\\t")
            case 0x0C: appendRaw("\\f")
            case UInt8(ascii: "\""): appendRaw("\\\"")
            case UInt8(ascii: "\\"): appendRaw("\\\\")
            default:
                let hex: StaticString = "0123456789abcdef"
                appendRaw("\\u00")
                append(hex.utf8Start[Int(byte >> 4)])
                append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
        appendRaw(input + runStart, count: length - runStart)
    }

    /// Whether any of eight bytes is below 0x20, `"` or `\` (may report a false
    /// positive, never a false negative; the byte loop then decides).
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte b < n sets its high bit in (b - n) & ~b; equality is "xor is zero".
        func hasLess(_ value: UInt64, _ n: UInt64) -> Bool {
            (value &- ones &* n) & ~value & highs != 0
        }
        func hasZero(_ value: UInt64) -> Bool { hasLess(value, 1) }
        return hasLess(word, 0x20)
            || hasZero(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
            || hasZero(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
    }

    /// Decimal digits of a json-c integer, which holds either an int64 or (above
    /// `Int64.max`) a uint64.
    private mutating func appendInteger(_ object: OpaquePointer?) {
        let signed = json_object_get_int64(object)
        if signed == Int64.max {
            appendDecimal(json_object_get_uint64(object), negative: false)
        } else {
            appendDecimal(signed.magnitude, negative: signed < 0)
        }
    }

    private mutating func appendDecimal(_ magnitude: UInt64, negative: Bool) {
        // 20 digits hold UInt64.max; one more for the sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var position = digits.count
            var rest = magnitude
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if negative {
                position -= 1
                digits[position] = UInt8(ascii: "-")
            }
            appendRaw(
                UnsafeRawPointer(digits.baseAddress! + position), count: digits.count - position)
        }
    }

    /// Falls back to json-c's own text for a value this writer does not model.
    private mutating func appendLibraryText(_ object: OpaquePointer?) {
        var length = 0
        let flags = Int32(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
        guard let text = json_object_to_json_string_length(object, flags, &length) else {
            appendRaw("null")
            return
        }
        appendRaw(UnsafeRawPointer(text), count: length)
    }
}
