public import Foundation

/// Finds a target's resource bundle beside the running program, without stopping it when
/// the bundle is missing.
///
/// SwiftPM's generated `Bundle.module` calls `fatalError` when the bundle is neither beside
/// the executable nor in the build folder it was compiled in, so a copied or installed
/// binary whose resources were left behind would crash at start instead of saying what is
/// missing. An installation keeps the `*.resources` folders beside the binary, as
/// `swift build` lays them out.
public enum ResourceBundle {
    /// `name` is the bundle folder SwiftPM writes: `<package>_<target>.resources`.
    public static func find(_ name: String) -> Bundle? {
        for folder in executableFolders() {
            if let bundle = Bundle(path: folder.appendingPathComponent(name).path) {
                return bundle
            }
        }
        return nil
    }

    /// Where the bundle was looked for, for an error message.
    public static func searched(_ name: String) -> [String] {
        executableFolders().map { $0.appendingPathComponent(name).path }
    }

    /// The folder of the program's real file (symbolic links resolved, as the kernel
    /// reports it), then the folder it was started from when that differs (a symbolic link
    /// such as `~/.local/bin/phidesk-desktop` whose resource folders sit beside it).
    private static func executableFolders() -> [URL] {
        var folders: [URL] = []
        if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        {
            folders.append(URL(fileURLWithPath: real).deletingLastPathComponent())
        } else {
            folders.append(Bundle.main.bundleURL)
        }
        // argv[0] names a folder only when it has a slash (a PATH lookup gives a bare name).
        if let started = CommandLine.arguments.first, started.contains("/") {
            folders.append(URL(fileURLWithPath: started).deletingLastPathComponent())
        }
        var unique: [URL] = []
        for folder in folders.map(\.standardizedFileURL) where !unique.contains(folder) {
            unique.append(folder)
        }
        return unique
    }
}
