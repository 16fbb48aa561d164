import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One updating status line on stderr (count, rate, ETA) when stderr is a terminal;
/// silent otherwise, so logs and pipes stay clean.
final class ProgressReporter {
    private let totalFiles: Int
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var bytesSoFar = 0

    init(totalFiles: Int) {
        self.totalFiles = totalFiles
    }

    func update(filesDone: Int, resources: Int, bytesDone: Int, totalBytes: Int) {
        bytesSoFar += bytesDone
        guard isTerminal else { return }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(resources) / elapsed
        let remainingBytes = Double(max(totalBytes - bytesSoFar, 0))
        let bytesPerSecond = Double(bytesSoFar) / elapsed
        let eta = bytesPerSecond > 0 ? remainingBytes / bytesPerSecond : 0
        let line = String(
            format: "\rimport: %d/%d files, %d resources, %.0f resources/s, ETA %.0fs   ",
            filesDone, totalFiles, resources, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
