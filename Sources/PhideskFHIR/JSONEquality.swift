internal import CJSONC

extension JSONDocument {
    /// Semantic equality of two JSON texts.
    ///
    /// Object key order is irrelevant; array order matters. Integers compare by
    /// value, other numbers by the text json-c kept (`1.0` differs from `1.00`,
    /// and an integer never equals a non-integer). Strings compare byte for byte
    /// (no Unicode normalisation). Both inputs are parsed with default limits.
    public static func jsonEqual(_ a: [UInt8], _ b: [UInt8]) throws(FHIRError) -> Bool {
        let left = try parse(a)
        let right = try parse(b)
        return valuesEqual(left.root, right.root)
    }

    /// Recursion is bounded by the depth limit both documents were parsed with.
    static func valuesEqual(_ a: JSONNode, _ b: JSONNode) -> Bool {
        let typeA = json_object_get_type(a.object)
        guard typeA == json_object_get_type(b.object) else {
            return false
        }
        switch typeA {
        case json_type_object:
            guard a.count == b.count else {
                return false
            }
            for (key, value) in a.members {
                guard let other = b[key], valuesEqual(value, other) else {
                    return false
                }
            }
            return true
        case json_type_array:
            let count = a.count
            guard count == b.count else {
                return false
            }
            for index in 0..<count {
                guard let x = a.element(at: index), let y = b.element(at: index),
                      valuesEqual(x, y) else {
                    return false
                }
            }
            return true
        case json_type_string:
            return stringBytesEqual(a.object, b.object)
        case json_type_int:
            return json_object_get_int64(a.object) == json_object_get_int64(b.object)
                && json_object_get_uint64(a.object) == json_object_get_uint64(b.object)
        case json_type_double:
            return a.serialized() == b.serialized()
        case json_type_boolean:
            return a.boolValue == b.boolValue
        default:
            return true
        }
    }

    private static func stringBytesEqual(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool {
        let lengthA = Int(json_object_get_string_len(a))
        guard lengthA == Int(json_object_get_string_len(b)) else {
            return false
        }
        guard let pa = json_object_get_string(a), let pb = json_object_get_string(b) else {
            return false
        }
        let bytesA = UnsafeRawBufferPointer(start: pa, count: lengthA)
        let bytesB = UnsafeRawBufferPointer(start: pb, count: lengthA)
        return bytesA.elementsEqual(bytesB)
    }
}
