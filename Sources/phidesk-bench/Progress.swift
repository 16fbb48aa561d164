import Foundation

/// Progress lines on stderr, so stdout and the report stay clean. Messages carry counts
/// and phases only, never record content or patient file names.
enum Progress {
    static func say(_ message: String) {
        FileHandle.standardError.write(Data(("phidesk-bench: " + message + "\n").utf8))
    }
}
