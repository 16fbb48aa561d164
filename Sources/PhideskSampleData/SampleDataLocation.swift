public import Foundation

/// Where the synthetic sample data lives (Synthea patients and FHIR spec examples, a
/// read-only folder holding `fhir/`): `$PHIDESK_SHARED_DATA`, or `shared/data` beside the
/// package (`../shared/data` or `../../shared/data` from the folder holding Package.swift).
/// Used by the tests, the benchmarks and the desktop app's hidden test modes; never by the
/// product on real data.
public enum SampleDataLocation {
    public static let environmentVariable = "PHIDESK_SHARED_DATA"

    /// The data folder, or nil when none is found. The package root is looked for above
    /// the working directory and above this source file (a checkout's own path).
    public static func root() -> URL? {
        let manager = FileManager.default
        func holdsData(_ url: URL) -> Bool {
            manager.fileExists(atPath: url.appendingPathComponent("fhir").path)
        }

        if let explicit = ProcessInfo.processInfo.environment[environmentVariable] {
            let url = URL(fileURLWithPath: explicit)
            if holdsData(url) { return url }
        }

        let starts = [
            URL(fileURLWithPath: manager.currentDirectoryPath),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent(),
        ]
        for start in starts {
            guard let package = packageRoot(above: start) else { continue }
            for relative in ["../shared/data", "../../shared/data"] {
                let candidate = package.appendingPathComponent(relative).standardizedFileURL
                if holdsData(candidate) { return candidate }
            }
        }
        return nil
    }

    /// No sample data here.
    public struct Missing: Error, CustomStringConvertible {
        public init() {}

        public var description: String {
            "sample data not found: set \(SampleDataLocation.environmentVariable) to the "
                + "folder holding fhir/"
        }
    }

    /// `fhir/FOLDER/NAME` in the data, e.g. `fhirFile("synthea", "0-hospital….json")`.
    public static func fhirFile(_ folder: String, _ name: String) throws -> URL {
        guard let root = root() else { throw Missing() }
        return root.appendingPathComponent("fhir").appendingPathComponent(folder)
            .appendingPathComponent(name)
    }

    public static func fhirBytes(_ folder: String, _ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: fhirFile(folder, name)))
    }

    /// The names of the JSON files in `fhir/FOLDER`, sorted.
    public static func fhirFileNames(in folder: String) throws -> [String] {
        guard let root = root() else { throw Missing() }
        let path = root.appendingPathComponent("fhir").appendingPathComponent(folder).path
        return try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The nearest folder at or above `start` that holds a Package.swift.
    static func packageRoot(above start: URL) -> URL? {
        var directory = start.standardizedFileURL
        while directory.path != "/" {
            let manifest = directory.appendingPathComponent("Package.swift").path
            if FileManager.default.fileExists(atPath: manifest) { return directory }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
