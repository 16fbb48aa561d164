import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One updating status line on stderr (count, rate, ETA) when stderr is a terminal;
/// silent otherwise, so logs and pipes stay clean. ETA is estimated from input bytes.
final class ProgressReporter {
    private let totalBytes: Int
    private let totalFiles: Int
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var bytesOfFinishedFiles = 0
    private var resourcesOfFinishedFiles = 0
    private var filesDone = 0

    init(totalFiles: Int, totalBytes: Int) {
        self.totalFiles = totalFiles
        self.totalBytes = max(totalBytes, 1)
    }

    /// Progress inside the current file.
    func update(fileByteCount: Int, done: Int, entries: Int) {
        guard isTerminal else { return }
        let fraction = entries > 0 ? Double(done) / Double(entries) : 0
        draw(
            resources: resourcesOfFinishedFiles + done,
            bytes: Double(bytesOfFinishedFiles) + fraction * Double(fileByteCount))
    }

    func finishedFile(byteCount: Int, resources: Int) {
        filesDone += 1
        bytesOfFinishedFiles += byteCount
        resourcesOfFinishedFiles += resources
        guard isTerminal else { return }
        draw(resources: resourcesOfFinishedFiles, bytes: Double(bytesOfFinishedFiles), force: true)
    }

    private func draw(resources: Int, bytes: Double, force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(resources) / elapsed
        let bytesPerSecond = bytes / elapsed
        let eta = bytesPerSecond > 0 ? (Double(totalBytes) - bytes) / bytesPerSecond : 0
        let line = String(
            format: "\rimport: %d/%d files, %d resources, %.0f/s, ETA %.0fs   ",
            filesDone, totalFiles, resources, rate, max(eta, 0))
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
