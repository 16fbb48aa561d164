import CGTKWebKit

/// Locks the vault once the session's idle timeout (or lifetime) has passed, even when
/// the page sends nothing. A GLib timeout, not a Swift Task: the GLib main loop never
/// drains the Dispatch main queue that Swift concurrency's main actor would need.
final class IdleLock {
    static let intervalSeconds: guint = 5
    private let broker: Broker

    init(broker: Broker) {
        self.broker = broker
    }

    func start() {
        let data = Unmanaged.passUnretained(self).toOpaque()
        g_timeout_add_seconds(Self.intervalSeconds, { data in
            guard let data else { return 0 }
            Unmanaged<IdleLock>.fromOpaque(data).takeUnretainedValue().tick()
            return 1  // G_SOURCE_CONTINUE
        }, data)
    }

    func tick() {
        broker.enforceExpiry()
        broker.rejections.flush()
    }
}
