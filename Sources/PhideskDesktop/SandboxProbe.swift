import Foundation

/// Inspects /proc to show that every web content process runs inside bubblewrap.
enum SandboxProbe {
    struct Process {
        let pid: Int32
        let hasBwrapAncestor: Bool
        let ownMountNamespace: Bool
    }

    /// WebKit web processes (comm is truncated to 15 characters by the kernel).
    static func webProcesses() -> [Process] {
        let selfNamespace = link("/proc/self/ns/mnt")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).compactMap { pid in
            guard comm(pid) == "WebKitWebProces" else { return nil }
            return Process(
                pid: pid, hasBwrapAncestor: ancestors(of: pid).contains { comm($0) == "bwrap" },
                ownMountNamespace: link("/proc/\(pid)/ns/mnt").map { $0 != selfNamespace }
                    ?? false)
        }
    }

    static func comm(_ pid: Int32) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func ancestors(of pid: Int32) -> [Int32] {
        var chain: [Int32] = []
        var current = pid
        while current > 1, chain.count < 64, let parent = parentPID(current) {
            chain.append(parent)
            current = parent
        }
        return chain
    }

    static func parentPID(_ pid: Int32) -> Int32? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("PPid:") })
        else { return nil }
        return Int32(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
    }

    static func link(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }
}
