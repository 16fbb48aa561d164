import Foundation

/// Locates the shared read-only FHIR data beside the repository.
enum TestData {
    static let root: URL? = {
        let manager = FileManager.default
        if let env = ProcessInfo.processInfo.environment["PHIDESK_SHARED_DATA"] {
            let url = URL(fileURLWithPath: env)
            if manager.fileExists(atPath: url.appendingPathComponent("fhir").path) {
                return url
            }
        }

        // Walk up from this file to the package root, then look beside it.
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let manifest = directory.appendingPathComponent("Package.swift").path
            if manager.fileExists(atPath: manifest) {
                break
            }
            directory = directory.deletingLastPathComponent()
        }
        for relative in ["../shared/data", "../../shared/data"] {
            let candidate = directory.appendingPathComponent(relative).standardizedFileURL
            if manager.fileExists(atPath: candidate.appendingPathComponent("fhir").path) {
                return candidate
            }
        }
        return nil
    }()

    struct MissingData: Error {}

    static func url(_ folder: String, _ name: String) throws -> URL {
        guard let root else {
            throw MissingData()
        }
        return root.appendingPathComponent("fhir").appendingPathComponent(folder)
            .appendingPathComponent(name)
    }

    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: url(folder, name)))
    }

    static func files(_ folder: String) throws -> [String] {
        guard let root else {
            throw MissingData()
        }
        let path = root.appendingPathComponent("fhir").appendingPathComponent(folder).path
        return try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasSuffix(".json") }.sorted()
    }
}
