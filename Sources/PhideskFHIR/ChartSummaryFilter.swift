internal import Foundation

/// Cheap byte-level checks that let the chart skip parsing most resources.
///
/// Parsing every resource of a large record (2,000+ resources) costs more than
/// the whole rest of the chart, and most of them can be ruled out from the bytes.
extension ChartSummaryBuilder {
    private static let typePrefix = Array(#"{"resourceType":""#.utf8)
    private static let vitalSignsMarker = Array(#""vital-signs""#.utf8)

    /// The resource type when `bytes` start exactly with `{"resourceType":"X"`, as
    /// stored (compact) FHIR JSON does; nil means "parse to find out".
    /// The first key of the top-level object is necessarily the top-level type.
    static func sniffResourceType(_ bytes: [UInt8]) -> String? {
        guard bytes.count > typePrefix.count + 2,
              bytes.starts(with: typePrefix) else {
            return nil
        }
        let start = typePrefix.count
        var end = start
        while end < bytes.count, end - start <= 64 {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                break
            }
            let isLetter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
            guard isLetter else {
                return nil
            }
            end += 1
        }
        guard end < bytes.count, end + 1 < bytes.count,
              bytes[end + 1] == UInt8(ascii: ",") || bytes[end + 1] == UInt8(ascii: "}") else {
            return nil
        }
        let name = String(decoding: bytes[start..<end], as: UTF8.self)
        return FHIRResource.isValidTypeName(name) ? name : nil
    }

    /// False when the resource cannot affect the chart: its type is not shown,
    /// or it is an Observation that does not even mention `vital-signs`.
    static func mayContribute(type: String, bytes: [UInt8]) -> Bool {
        guard shownTypes.contains(type) else {
            return false
        }
        if type == "Observation" {
            return contains(bytes, vitalSignsMarker)
        }
        return true
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else {
            return false
        }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == first,
                       memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 {
                        return true
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
