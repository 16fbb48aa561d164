import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Expands command-line paths into the JSON files to import (folders recursively, in
/// name order), checking that every one is readable before the vault is opened.
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
                files.append(try readable(path))
                continue
            }
            guard let children = try? manager.subpathsOfDirectory(atPath: path) else {
                throw UsageError("\(path): cannot list the folder (permission denied?)")
            }
            for child in children.filter({ $0.lowercased().hasSuffix(".json") }).sorted() {
                files.append(try readable((path as NSString).appendingPathComponent(child)))
            }
        }
        return files
    }

    private static func readable(_ path: String) throws -> File {
        guard access(path, R_OK) == 0 else {
            throw UsageError("\(path): cannot read (\(String(cString: strerror(errno))))")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return File(path: path, byteCount: (attributes?[.size] as? NSNumber)?.intValue ?? 0)
    }
}
