/// Errors raised while reading JSON or FHIR content.
///
/// Health records are PHI, so no case ever carries a value taken from the data:
/// only JSON paths (e.g. `$.entry[3].resource.subject`), byte offsets, line
/// numbers, limits and fixed reason texts. Paths name object keys only when the
/// key looks like an identifier, so odd keys cannot leak data either.
public enum FHIRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is larger than `JSONLimits.maxInputBytes`.
    case inputTooLarge(limit: Int)
    /// The JSON text is not well-formed (includes truncated input).
    /// `offset` is a 0-based byte offset, `line` is 1-based.
    case malformedJSON(offset: Int, line: Int, reason: String)
    /// A string in the input is not valid UTF-8.
    case invalidUTF8(offset: Int, line: Int)
    /// Objects/arrays are nested deeper than `limit`.
    case nestingTooDeep(offset: Int, line: Int, limit: Int)
    /// A single string value is longer than `limit` bytes.
    case stringTooLong(path: String, limit: Int)
    /// A number cannot be kept without loss (integer outside 64 bits, NaN, infinity).
    case numberOutOfRange(path: String)
    /// A value has the wrong JSON type, e.g. `entry` is not an array.
    case unexpectedType(path: String, expected: String)
    /// A resource has no `resourceType`.
    case missingResourceType(path: String)
    /// `resourceType` is present but not a string.
    case resourceTypeNotString(path: String)
    /// `resourceType` is a string but not shaped like a FHIR type name.
    case invalidResourceType(path: String)
    /// An `id` that is not a FHIR id (1–64 of `A-Z a-z 0-9 - .`).
    case invalidID(path: String)
    /// Two entries of one file are the same resource (same type and id, or fullUrl).
    case duplicateResource(path: String)
    /// A Bundle appears as an entry resource inside another Bundle.
    case nestedBundle(path: String)
    /// A Bundle entry has neither `resource` nor `request`.
    case entryWithoutResource(path: String)
    /// The resource is not of the type the operation needs.
    case wrongResourceType(path: String, expected: String)

    /// A message safe to print or log: it never contains data values.
    public var description: String {
        switch self {
        case .inputTooLarge(let limit):
            return "input is larger than the limit of \(limit) bytes"
        case .malformedJSON(let offset, let line, let reason):
            return "malformed JSON at byte \(offset) (line \(line)): \(reason)"
        case .invalidUTF8(let offset, let line):
            return "invalid UTF-8 at byte \(offset) (line \(line))"
        case .nestingTooDeep(let offset, let line, let limit):
            return "JSON nested deeper than \(limit) levels at byte \(offset) (line \(line))"
        case .stringTooLong(let path, let limit):
            return "string at \(path) is longer than the limit of \(limit) bytes"
        case .numberOutOfRange(let path):
            return "number at \(path) is out of the supported range"
        case .unexpectedType(let path, let expected):
            return "value at \(path) must be \(expected)"
        case .missingResourceType(let path):
            return "missing \(path)"
        case .resourceTypeNotString(let path):
            return "\(path) must be a string"
        case .invalidResourceType(let path):
            return "\(path) is not a FHIR R4 resource type"
        case .invalidID(let path):
            return "\(path) is not a valid FHIR id (1-64 letters, digits, '-' or '.')"
        case .duplicateResource(let path):
            return "the resource at \(path) appears twice in this file"
        case .nestedBundle(let path):
            return "a Bundle nested inside a Bundle is not supported at \(path)"
        case .entryWithoutResource(let path):
            return "bundle entry \(path) has neither resource nor request"
        case .wrongResourceType(let path, let expected):
            return "resource at \(path) must be a \(expected)"
        }
    }
}
