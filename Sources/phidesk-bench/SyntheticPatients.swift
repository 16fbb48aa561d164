import Foundation

/// Builds many distinct Patient resources from the few shared ones, for search at
/// scale: each copy gets a new `id` and new identifier values; names, birth date and
/// gender stay, so 1 in 10 patients shares each name (a pessimistic case for name
/// queries, which then always fill their result limit).
struct SyntheticPatients {
    /// What a search benchmark may query for one source patient. Held in memory only;
    /// never printed.
    struct QueryTerms {
        var family: String?
        var given: String?
        var birthDate: String?
        /// Identifier values of a few copies, for exact-match queries.
        var identifiers: [String]
    }

    let bundleFiles: [String]
    let terms: [QueryTerms]

    /// Writes `total` patients as one collection Bundle per source patient.
    static func write(total: Int, from patientBundles: [String], into scratch: Scratch) throws
        -> SyntheticPatients
    {
        let sources = try patientBundles.compactMap(patientResource)
        guard !sources.isEmpty else { throw BenchError("no Patient resources in shared data") }
        var files: [String] = []
        var terms: [QueryTerms] = []
        for (sourceIndex, source) in sources.enumerated() {
            let copies = total / sources.count + (sourceIndex < total % sources.count ? 1 : 0)
            var entries: [[String: Any]] = []
            var sampleIdentifiers: [String] = []
            for copy in 0..<copies {
                let resource = rekeyed(source, source: sourceIndex, copy: copy)
                if copy % max(copies / 20, 1) == 0,
                    let value = identifierValues(resource).first
                {
                    sampleIdentifiers.append(value)
                }
                let id = resource["id"] as? String ?? ""
                entries.append(["fullUrl": "urn:uuid:\(id)", "resource": resource])
            }
            let bundle: [String: Any] = [
                "resourceType": "Bundle", "type": "collection", "entry": entries,
            ]
            let path = scratch.newPath("patients") + ".json"
            try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: path))
            files.append(path)
            terms.append(queryTerms(source, identifiers: sampleIdentifiers))
        }
        return SyntheticPatients(bundleFiles: files, terms: terms)
    }

    private static func patientResource(_ bundle: String) throws -> [String: Any]? {
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        for entry in json?["entry"] as? [[String: Any]] ?? [] {
            if let resource = entry["resource"] as? [String: Any],
                resource["resourceType"] as? String == "Patient"
            {
                return resource
            }
        }
        return nil
    }

    /// A copy with a UUID-shaped id unique to (source, copy) and identifier values
    /// suffixed the same way, so no two copies share an id or identifier.
    private static func rekeyed(_ patient: [String: Any], source: Int, copy: Int)
        -> [String: Any]
    {
        var resource = patient
        let id = String(format: "00000000-b3ac-4000-8000-%04x%08x", source, copy)
        resource["id"] = id
        if let identifiers = resource["identifier"] as? [[String: Any]] {
            resource["identifier"] = identifiers.map { identifier -> [String: Any] in
                var changed = identifier
                if let value = identifier["value"] as? String {
                    changed["value"] = "\(value)-x\(source)y\(copy)"
                }
                return changed
            }
        }
        return resource
    }

    private static func identifierValues(_ patient: [String: Any]) -> [String] {
        (patient["identifier"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
    }

    private static func queryTerms(_ patient: [String: Any], identifiers: [String])
        -> QueryTerms
    {
        let names = patient["name"] as? [[String: Any]] ?? []
        let official = names.first { $0["use"] as? String == "official" } ?? names.first
        return QueryTerms(
            family: official?["family"] as? String,
            given: (official?["given"] as? [String])?.first,
            birthDate: patient["birthDate"] as? String,
            identifiers: identifiers)
    }
}
