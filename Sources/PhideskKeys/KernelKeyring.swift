internal import CPhideskShims
public import PhideskCrypto

/// Short-lived secrets in the Linux kernel's user keyring.
///
/// The kernel scopes the user keyring to the user id, never writes it to disk, and can
/// expire a key on its own; a CLI session key kept here dies with its timeout even if
/// phidesk never runs again.
public enum KernelKeyring {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The kernel refused (`errno`), e.g. keyrings are disabled by a seccomp policy.
        case unavailable(errno: Int32)

        public var description: String {
            switch self {
            case .unavailable(let code):
                return "the kernel keyring is not available (errno \(code))"
            }
        }
    }

    /// Stores `secret` under `name`, replacing any key of that name, expiring after
    /// `lifetimeSeconds`.
    public static func store(_ secret: SecureBytes, name: String, lifetimeSeconds: UInt32) throws {
        let serial = secret.withUnsafeBytes { bytes in
            phidesk_keyring_add(name, bytes.baseAddress, bytes.count)
        }
        guard serial > 0 else { throw Failure.unavailable(errno: Int32(-serial)) }
        let status = phidesk_keyring_set_timeout(serial, lifetimeSeconds)
        guard status == 0 else {
            _ = phidesk_keyring_invalidate(serial)
            throw Failure.unavailable(errno: Int32(-status))
        }
    }

    /// The secret stored under `name`, or nil if there is none (or it expired).
    public static func load(name: String, byteCount: Int) -> SecureBytes? {
        let serial = phidesk_keyring_search(name)
        guard serial > 0 else { return nil }
        let secret = SecureBytes(zeroedCount: byteCount)
        let length = secret.withUnsafeMutableBytes { bytes in
            phidesk_keyring_read(serial, bytes.baseAddress, bytes.count)
        }
        return length == byteCount ? secret : nil
    }

    /// Destroys the key named `name`, if present.
    public static func remove(name: String) {
        let serial = phidesk_keyring_search(name)
        if serial > 0 {
            _ = phidesk_keyring_invalidate(serial)
        }
    }
}
