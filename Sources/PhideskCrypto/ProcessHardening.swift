internal import CPhideskShims

/// Process-wide protections applied before any secret is loaded.
public enum ProcessHardening {
    /// Disables core dumps (RLIMIT_CORE 0, PR_SET_DUMPABLE 0) and ignores SIGPIPE.
    ///
    /// - Returns: 0, or the errno of the step that failed; callers refuse to continue.
    public static func apply() -> Int32 {
        phidesk_harden_process()
    }

    /// True when the kernel will not write a core file for this process.
    public static var isDumpDisabled: Bool {
        phidesk_process_is_dumpable() == 0
    }
}
