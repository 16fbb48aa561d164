import Foundation
import PhideskSampleData

/// The shared read-only Synthea data (found by `SampleDataLocation`, as the tests do).
///
/// File names of patient bundles contain patient names, so they are never printed.
struct SharedData {
    /// The `synthea` folder.
    let directory: String
    /// `0-hospitalInformation*` and `0-practitionerInformation*`: shared resources that
    /// patient bundles reference conditionally, so they must be imported first.
    let infoBundles: [String]
    /// One bundle per patient.
    let patientBundles: [String]
    /// The bundle with the most entries (the issue names it).
    let largestBundle: String

    static let largestBundleName = "b62462f8-e515-7cdd-449d-e03b38e976e1.json"

    static func locate() throws -> SharedData {
        guard let root = SampleDataLocation.root()?.path else {
            throw SampleDataLocation.Missing()
        }
        let directory = root + "/fhir/synthea"
        let names = try SampleDataLocation.fhirFileNames(in: "synthea")
        let info = names.filter { $0.hasPrefix("0-") }.map { directory + "/" + $0 }
        let patients = names.filter { !$0.hasPrefix("0-") }.map { directory + "/" + $0 }
        let largest = directory + "/" + largestBundleName
        guard !info.isEmpty, patients.contains(largest) else {
            throw SampleDataLocation.Missing()
        }
        return SharedData(
            directory: directory, infoBundles: info, patientBundles: patients,
            largestBundle: largest)
    }
}
