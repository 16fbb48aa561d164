/// Builds JSON path strings such as `$.entry[3].resource.subject` for error
/// messages and reference locations.
enum JSONPath {
    static let root = "$"

    /// Keys that are not plain identifiers could be data (PHI), so they are
    /// replaced by a placeholder instead of being echoed.
    static func appending(_ path: String, key: String) -> String {
        if isPlainKey(key) {
            return path + "." + key
        }
        return path + "[?]"
    }

    static func appending(_ path: String, index: Int) -> String {
        path + "[" + String(index) + "]"
    }

    static func isPlainKey(_ key: String) -> Bool {
        isPlainKey(key.utf8)
    }

    static func isPlainKey(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first, utf8.count <= 64, isIdentStart(first) else {
            return false
        }
        return utf8.allSatisfy { isIdentStart($0) || ($0 >= 48 && $0 <= 57) }
    }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
}
