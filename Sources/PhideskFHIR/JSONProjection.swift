internal import CJSONC

/// A JSON object or array under construction, for projections that keep only part
/// of a parsed document.
///
/// Values appended from a `JSONNode` are shared with their document, not copied:
/// json-c reference counting keeps them alive after the document is gone, and
/// serialising them keeps the original key order and number text (`1.00`).
/// Nothing here ever modifies a parsed document.
///
/// Not `Sendable`: shared subtrees belong to the source document too, and json-c
/// reference counts and print buffers are not thread-safe.
public final class JSONBuilder {
    let object: OpaquePointer?

    private init(object: OpaquePointer?) {
        self.object = object
    }

    deinit {
        json_object_put(object)
    }

    /// An empty JSON object.
    public static func object() -> JSONBuilder {
        JSONBuilder(object: json_object_new_object())
    }

    /// An empty JSON array with room for `capacity` elements.
    public static func array(capacity: Int = 0) -> JSONBuilder {
        let size = Int32(clamping: max(capacity, 0))
        return JSONBuilder(object: json_object_new_array_ext(size))
    }

    /// Whether this builder is an object (else an array).
    public var isObject: Bool {
        json_object_get_type(object) == json_type_object
    }

    /// Number of members (object) or elements (array) appended so far.
    public var count: Int {
        if isObject {
            return Int(json_object_object_length(object))
        }
        return json_object_array_length(object)
    }

    /// Adds member `key` to an object, sharing `node`'s value with its document.
    /// A later member with the same key replaces the earlier one (json-c).
    public func append(key: String, _ node: JSONNode) {
        precondition(isObject, "append(key:) needs an object builder")
        // json-c takes over one reference; the document keeps its own.
        _ = json_object_object_add(object, key, json_object_get(node.object))
    }

    /// Adds member `key` to an object whose value is another builder's value.
    public func append(key: String, _ builder: JSONBuilder) {
        precondition(isObject, "append(key:) needs an object builder")
        _ = json_object_object_add(object, key, json_object_get(builder.object))
    }

    /// Appends `node`'s value to an array, sharing it with its document.
    public func append(_ node: JSONNode) {
        precondition(!isObject, "append(_:) needs an array builder")
        _ = json_object_array_add(object, json_object_get(node.object))
    }

    /// Appends another builder's value to an array.
    public func append(_ builder: JSONBuilder) {
        precondition(!isObject, "append(_:) needs an array builder")
        _ = json_object_array_add(object, json_object_get(builder.object))
    }

    /// Compact JSON, preserving key order and number text like `JSONNode.serialized()`.
    public func serialized() -> [UInt8] {
        var length = 0
        let flags = Int32(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
        guard let text = json_object_to_json_string_length(object, flags, &length) else {
            return Array("null".utf8)
        }
        return Array(UnsafeRawBufferPointer(start: text, count: length))
    }
}
