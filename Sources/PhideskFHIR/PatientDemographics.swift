/// Demographics read from a Patient resource, for display and blind indexing.
public struct PatientDemographics: Sendable, Equatable, Codable {
    /// Every `name[].family`, in order (official, maiden, …).
    public let familyNames: [String]
    /// Every `name[].given[]` string as-is: "María Eugenia" stays ONE string.
    public let givenNames: [String]
    /// Every `name[].text` (some records, e.g. CJK, carry the name only there).
    public let nameTexts: [String]
    /// `birthDate` as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    public let birthDate: String?
    /// `gender` code (`male`, `female`, `other`, `unknown`).
    public let gender: String?
    /// Every top-level `identifier[].value`.
    public let identifierValues: [String]
    /// Official name as "given… family", else the first usable name, else
    /// `name[0].text`, else "(no name)".
    public let displayName: String
    /// True for `deceasedBoolean: true` or any `deceasedDateTime`.
    public let isDeceased: Bool
    /// `deceasedDateTime` as written.
    public let deceasedDateTime: String?

    /// Reads demographics from a decoded Patient resource.
    public init(resource: FHIRResource) throws(FHIRError) {
        guard resource.resourceType == "Patient" else {
            throw .wrongResourceType(path: JSONPath.root, expected: "Patient")
        }
        let document = try JSONDocument.parse(resource.serialized)
        try self.init(node: document.root)
    }

    /// Reads demographics from the Patient object at `node`.
    public init(node: JSONNode, path: String = "$") throws(FHIRError) {
        let type = try FHIRResource.resourceType(of: node, path: path)
        guard type == "Patient" else {
            throw .wrongResourceType(path: path, expected: "Patient")
        }
        let names = node["name"]?.elements ?? []
        var families: [String] = []
        var givens: [String] = []
        var texts: [String] = []
        for name in names {
            if let family = name["family"]?.stringValue {
                families.append(family)
            }
            givens.append(contentsOf: (name["given"]?.elements ?? []).compactMap(\.stringValue))
            if let text = name["text"]?.stringValue {
                texts.append(text)
            }
        }
        familyNames = families
        givenNames = givens
        nameTexts = texts
        birthDate = node["birthDate"]?.stringValue
        gender = node["gender"]?.stringValue
        identifierValues = (node["identifier"]?.elements ?? []).compactMap {
            $0["value"]?.stringValue
        }
        displayName = Self.displayName(names)
        let deceasedTime = node["deceasedDateTime"]?.stringValue
        deceasedDateTime = deceasedTime
        isDeceased = deceasedTime != nil || node["deceasedBoolean"]?.boolValue == true
    }

    /// Union of `SearchNormalizer.nameKeys` over all family, given and text names.
    public var nameSearchKeys: Set<String> {
        var keys = Set<String>()
        for name in familyNames + givenNames + nameTexts {
            keys.formUnion(SearchNormalizer.nameKeys(name))
        }
        return keys
    }

    /// Identifier keys as produced by `SearchNormalizer.identifierKey`.
    public var identifierSearchKeys: Set<String> {
        Set(identifierValues.map(SearchNormalizer.identifierKey).filter { !$0.isEmpty })
    }

    private static func displayName(_ names: [JSONNode]) -> String {
        let official = names.first { $0["use"]?.stringValue == "official" }
        for name in (official.map { [$0] } ?? []) + names {
            let given = (name["given"]?.elements ?? []).compactMap(\.stringValue)
            let parts = given + [name["family"]?.stringValue].compactMap { $0 }
            let joined = parts.filter { !$0.isEmpty }.joined(separator: " ")
            if !joined.isEmpty {
                return joined
            }
            if let text = name["text"]?.stringValue, !text.isEmpty {
                return text
            }
        }
        return "(no name)"
    }
}
