import Foundation

/// Expands command-line paths into the JSON files to import, folders in name order.
enum InputFiles {
    struct File {
        let path: String
        let byteCount: Int
    }

    static func expand(_ paths: [String]) throws -> [File] {
        var files: [File] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError("\(path): no such file or folder")
            }
            if !isDirectory.boolValue {
                files.append(File(path: path, byteCount: size(path)))
                continue
            }
            let children = try manager.subpathsOfDirectory(atPath: path)
                .filter { $0.lowercased().hasSuffix(".json") }
                .sorted()
            for child in children {
                let full = (path as NSString).appendingPathComponent(child)
                files.append(File(path: full, byteCount: size(full)))
            }
        }
        return files
    }

    private static func size(_ path: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }
}
