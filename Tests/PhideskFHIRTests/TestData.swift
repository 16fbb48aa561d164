import Foundation
import PhideskSampleData

/// Expected values for the sample data, decoded independently of phidesk's JSON layer.
enum TestData {
    /// The file decoded with Foundation's JSONSerialization.
    static func foundationJSON(_ folder: String, _ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: SampleDataLocation.fhirFile(folder, name))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
