internal import CJSONC

/// A cheap view of one value inside a `JSONDocument`.
///
/// The node keeps its document alive, so the underlying json-c pointer can never
/// dangle. JSON `null` is represented by json-c as a null pointer.
public struct JSONNode {
    /// The JSON type of a node.
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    /// The document that owns this value.
    public let document: JSONDocument
    let object: OpaquePointer?

    init(document: JSONDocument, object: OpaquePointer?) {
        self.document = document
        self.object = object
    }

    /// The JSON type of this value.
    public var kind: Kind {
        switch json_object_get_type(object) {
        case json_type_object: return .object
        case json_type_array: return .array
        case json_type_string: return .string
        case json_type_int, json_type_double: return .number
        case json_type_boolean: return .bool
        default: return .null
        }
    }

    /// The member named `key` of an object; nil when absent or not an object.
    /// A member whose value is `null` is returned as a `.null` node.
    public subscript(key: String) -> JSONNode? {
        guard json_object_get_type(object) == json_type_object else {
            return nil
        }
        var child: OpaquePointer?
        guard json_object_object_get_ex(object, key, &child) != 0 else {
            return nil
        }
        return JSONNode(document: document, object: child)
    }

    /// Number of elements of an array or members of an object; 0 otherwise.
    public var count: Int {
        switch json_object_get_type(object) {
        case json_type_array: return json_object_array_length(object)
        case json_type_object: return Int(json_object_object_length(object))
        default: return 0
        }
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public func element(at index: Int) -> JSONNode? {
        guard json_object_get_type(object) == json_type_array, index >= 0,
              index < json_object_array_length(object) else {
            return nil
        }
        return JSONNode(document: document, object: json_object_array_get_idx(object, index))
    }

    /// The elements of an array (empty for other kinds).
    public var elements: [JSONNode] {
        guard json_object_get_type(object) == json_type_array else {
            return []
        }
        let count = json_object_array_length(object)
        return (0..<count).map {
            JSONNode(document: document, object: json_object_array_get_idx(object, $0))
        }
    }

    /// The members of an object in their original order (empty for other kinds).
    /// LIMITATION: json-c keys are C strings, so a key containing `\u0000` is cut there.
    public var members: [(key: String, value: JSONNode)] {
        guard json_object_get_type(object) == json_type_object else {
            return []
        }
        var result: [(key: String, value: JSONNode)] = []
        result.reserveCapacity(Int(json_object_object_length(object)))
        var iter = json_object_iter_begin(object)
        var end = json_object_iter_end(object)
        while json_object_iter_equal(&iter, &end) == 0 {
            let key = json_object_iter_peek_name(&iter).map { String(cString: $0) } ?? ""
            let value = JSONNode(document: document, object: json_object_iter_peek_value(&iter))
            result.append((key, value))
            json_object_iter_next(&iter)
        }
        return result
    }

    /// The keys of an object in their original order.
    public var keys: [String] {
        members.map(\.key)
    }

    /// The value of a string node (may contain NUL characters); nil otherwise.
    public var stringValue: String? {
        guard json_object_get_type(object) == json_type_string,
              let pointer = json_object_get_string(object) else {
            return nil
        }
        let length = Int(json_object_get_string_len(object))
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of a boolean node; nil otherwise.
    public var boolValue: Bool? {
        guard json_object_get_type(object) == json_type_boolean else {
            return nil
        }
        return json_object_get_boolean(object) != 0
    }

    /// Whether this is a number written without fraction or exponent.
    public var isInteger: Bool {
        json_object_get_type(object) == json_type_int
    }

    /// The value of an integer node that fits in `Int64`; nil otherwise.
    public var int64Value: Int64? {
        guard isInteger else {
            return nil
        }
        let value = json_object_get_int64(object)
        // Values above Int64.max are stored unsigned by json-c.
        if value == Int64.max && json_object_get_uint64(object) != UInt64(Int64.max) {
            return nil
        }
        return value
    }

    /// The text of a number as it will be serialised: the original text for
    /// non-integers (`1.00`, `1E-22`), canonical digits for integers.
    public var numberText: String? {
        guard kind == .number else {
            return nil
        }
        return String(decoding: serialized(), as: UTF8.self)
    }

    /// Compact JSON for this value, preserving key order and number text.
    public func serialized() -> [UInt8] {
        var length = 0
        let flags = Int32(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
        // The returned buffer belongs to json-c (the object's print buffer).
        guard let text = json_object_to_json_string_length(object, flags, &length) else {
            return Array("null".utf8)
        }
        return Array(UnsafeRawBufferPointer(start: text, count: length))
    }
}
