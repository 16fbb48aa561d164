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

    /// The main executable's folder, and the folder of its real file when started through
    /// a symbolic link (e.g. `~/.local/bin/phidesk-desktop` pointing into a build folder).
    private static func executableFolders() -> [URL] {
        var folders = [Bundle.main.bundleURL.standardizedFileURL]
        if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        {
            let folder = URL(fileURLWithPath: real).deletingLastPathComponent().standardizedFileURL
            if folder != folders[0] { folders.append(folder) }
        }
        return folders
    }
}
