import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Describes the machine a report was measured on, so figures can be compared later.
enum Machine {
    /// `scratch` is where the benchmark databases live: its file system decides what a
    /// durable commit (fsync) costs.
    static func describe(scratch: String) -> [(String, String)] {
        let info = ProcessInfo.processInfo
        return [
            ("CPU", cpuModel()),
            ("Cores (online / total)", "\(info.activeProcessorCount) / \(info.processorCount)"),
            ("Memory", memory()),
            ("Kernel", kernel()),
            ("Scratch file system", fileSystem(scratch)),
            ("Swift", firstLine(Subprocess.run("swift", ["--version"])) ?? "not found"),
            ("OpenSSL", firstLine(Subprocess.run("openssl", ["version"])) ?? "not found"),
        ]
    }

    private static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return "unknown"
        }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    private static func memory() -> String {
        let gib = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
        return Format.fixed(gib, 1) + " GiB"
    }

    private static func kernel() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return "\(field(name.sysname)) \(field(name.release)) \(field(name.machine))"
    }

    /// The type of the mount holding `path`: the longest mount point that prefixes it.
    private static func fileSystem(_ path: String) -> String {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        else { return "unknown" }
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = String(fields[1])
            let inside = path == point || path.hasPrefix(point == "/" ? "/" : point + "/")
            if inside && point.count > (best?.point.count ?? -1) {
                best = (point, String(fields[2]))
            }
        }
        return best.map { "\($0.type) (mounted at \($0.point))" } ?? "unknown"
    }

    /// The first non-empty line; `swift --version` prints a driver banner on line one.
    private static func firstLine(_ text: String?) -> String? {
        text?.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
    }
}
