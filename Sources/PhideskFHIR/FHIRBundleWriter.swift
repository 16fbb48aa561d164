internal import CJSONC

/// Builds export Bundles from stored resource bytes.
public enum FHIRBundleWriter {
    /// A `Bundle` of type `collection` whose entries embed `resource` bytes verbatim.
    ///
    /// Each `resource` must already be one valid JSON object (as stored from
    /// `FHIRResource.serialized`); it is not re-parsed, so export stays linear in
    /// size. `fullUrl` strings are escaped by json-c.
    public static func collection(entries: [(fullUrl: String?, resource: [UInt8])]) -> [UInt8] {
        var output: [UInt8] = []
        let payload = entries.reduce(0) { $0 + $1.resource.count + ($1.fullUrl?.utf8.count ?? 0) }
        output.reserveCapacity(payload + entries.count * 32 + 64)
        output.append(contentsOf: #"{"resourceType":"Bundle","type":"collection","entry":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 {
                output.append(UInt8(ascii: ","))
            }
            output.append(UInt8(ascii: "{"))
            if let fullUrl = entry.fullUrl {
                output.append(contentsOf: #""fullUrl":"#.utf8)
                output.append(contentsOf: jsonString(fullUrl))
                output.append(UInt8(ascii: ","))
            }
            output.append(contentsOf: #""resource":"#.utf8)
            output.append(contentsOf: entry.resource)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: "]}".utf8)
        return output
    }

    /// The JSON string literal for `text`, quotes included.
    static func jsonString(_ text: String) -> [UInt8] {
        var utf8 = Array(text.utf8)
        let object = utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    json_object_new_string_len($0, Int32(buffer.count))
                }
            } ?? json_object_new_string("")
        }
        defer { json_object_put(object) }
        var length = 0
        let flags = Int32(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
        guard let text = json_object_to_json_string_length(object, flags, &length) else {
            return Array(#""""#.utf8)
        }
        return Array(UnsafeRawBufferPointer(start: text, count: length))
    }
}
