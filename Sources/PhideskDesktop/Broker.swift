public import Foundation
import PhideskCrypto
public import PhideskPolicy
public import PhideskVault

/// The privileged side: owns the vault (and so the keys) for the one signed-in session.
/// Everything here runs on the GLib main thread; nothing is shared across threads.
public final class Broker {
    public static let actor = "phidesk-desktop"
    public let location: VaultLocation
    let policy: AccessPolicy
    /// The open vault while someone is signed in; nil when locked (keys wiped).
    public private(set) var vault: Vault?
    /// Wall clock; the attack suite moves it forward to exercise the idle lock.
    public var now: () -> Date = { Date() }
    lazy var rejections = RejectionAuditor(broker: self)
    /// Called after every lock (idle, lifetime, the lock button, a new sign-in), so the
    /// page clears what it shows at once instead of at its next status poll.
    var onLock: (() -> Void)?
    /// The signed-in person's display name, read once at sign-in for the page's header.
    private(set) var displayName: String?
    /// When native input last counted as activity (counted at most once a second).
    private var lastInput = Date.distantPast

    /// Refusals go to the pre-sign-in spool while nobody is signed in; a page refusing
    /// requests all night would grow it without bound (and a spool too large to seal is
    /// set aside at the next sign-in). Past this many per sign-in, refusals are counted
    /// and the count is recorded in the trail at the next sign-in.
    static let spooledRejectionLimit = 500
    private var spooledRejections = 0
    private var unspooledRejections = 0

    /// Sign-in attempts from the page: at most `signInAttemptLimit` per minute, so a
    /// compromised page cannot guess passwords (or fill the spool with failures) at the
    /// speed of Argon2.
    static let signInAttemptLimit = 5
    private var signInAttempts: [Date] = []

    public init(location: VaultLocation, policy: AccessPolicy) {
        self.location = location
        self.policy = policy
    }

    /// Locks when the session has run out (idle or lifetime), then reports whether a
    /// session is usable. Called before every command and by the idle timer.
    @discardableResult
    public func enforceExpiry() -> Bool {
        guard let vault else { return false }
        guard let session = vault.access?.session else {
            lock(because: .locked)
            return false
        }
        if let end = session.expiry(at: now()) {
            lock(because: end)
            return false
        }
        return true
    }

    public func lock(because reason: SessionEnd) {
        guard let vault else { return }
        rejections.flush()
        vault.lock(because: reason)
        vault.close()
        self.vault = nil
        displayName = nil
        onLock?()
    }

    /// Keys, clicks, pointer movement or scrolling in the window: activity for the idle
    /// timeout. The broker sees this input natively, so reading a chart counts as activity
    /// and the page cannot fake it. An expired session is locked, not extended.
    func userInput() {
        let time = now()
        guard time.timeIntervalSince(lastInput) >= 1 else { return }
        lastInput = time
        guard enforceExpiry(), let vault else { return }
        vault.touch()
    }

    func signIn(login: String, password: String, code: String) throws {
        let time = now()
        signInAttempts.removeAll { time.timeIntervalSince($0) >= 60 }
        guard signInAttempts.count < Self.signInAttemptLimit else {
            rejections.record(reasonCode: "signin-throttled")
            throw VaultError.accountLocked(until: signInAttempts[0].addingTimeInterval(60))
        }
        signInAttempts.append(time)

        // A new sign-in replaces the current session (the vault audits the replacement).
        if vault != nil { lock(because: .signOut) }
        rejections.flush()
        let factor: SecondFactor = code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            ? .totp(code) : .recoveryCode(code)
        vault = try Vault.signIn(
            at: location, loginName: login, password: SecureBytes(copying: Array(password.utf8)),
            secondFactor: factor, policy: policy, actor: Self.actor)
        displayName = try? vault?.signedInDisplayName()

        // The spool was sealed into the trail by the sign-in: record what it did not take.
        spooledRejections = 0
        if unspooledRejections > 0 {
            let count = unspooledRejections
            unspooledRejections = 0
            audit(rejection: "ipc-rejections-suppressed", count: count)
        }
    }

    /// The open vault, after counting the request as activity.
    func activeVault() throws -> Vault {
        guard enforceExpiry(), let vault else { throw VaultError.notSignedIn }
        vault.touch()
        return vault
    }

    /// Appends an audit event for a refused renderer request (no payload, ever).
    func audit(rejection reasonCode: String, count: Int? = nil) {
        do {
            if let vault, vault.access != nil {
                try vault.recordRendererRejection(reasonCode: reasonCode, count: count)
            } else if FileManager.default.fileExists(atPath: location.directory) {
                guard spooledRejections < Self.spooledRejectionLimit else {
                    unspooledRejections += count ?? 1
                    return
                }
                spooledRejections += 1
                try Vault.spoolRendererRejection(
                    at: location, reasonCode: reasonCode, actor: Self.actor, count: count)
            }
        } catch {
            // LIMITATION: a refusal that cannot be audited (damaged trail, full disk) is
            // still refused; only the fact is printed, never the payload.
            FileHandle.standardError.write(Data("phidesk-desktop: audit write failed\n".utf8))
        }
    }
}

/// Audits renderer refusals without letting a compromised renderer flood the trail: per
/// reason, the first `burst` refusals per window are recorded one by one; the rest are
/// counted and recorded as one `ipc-rejections-suppressed` event with the count when the
/// window ends (or at the idle-timer tick, lock, sign-in and exit).
final class RejectionAuditor {
    static let burst = 20
    static let window: TimeInterval = 10
    private unowned let broker: Broker
    private var windowStart = Date.distantPast
    private var inWindow: [String: Int] = [:]
    private var suppressed = 0
    /// Every refusal since start by reason, for the attack suite's report.
    private(set) var totals: [String: Int] = [:]

    init(broker: Broker) {
        self.broker = broker
    }

    func record(_ rejection: IPCRejection) {
        record(reasonCode: rejection.rawValue)
    }

    func record(reasonCode: String) {
        totals[reasonCode, default: 0] += 1
        let now = Date()
        if now.timeIntervalSince(windowStart) > Self.window {
            flush()
            windowStart = now
            inWindow = [:]
        }
        inWindow[reasonCode, default: 0] += 1
        if inWindow[reasonCode, default: 0] <= Self.burst {
            broker.audit(rejection: reasonCode)
        } else {
            suppressed += 1
        }
    }

    /// Writes the summary of suppressed refusals, if any.
    func flush() {
        guard suppressed > 0 else { return }
        let count = suppressed
        suppressed = 0
        broker.audit(rejection: "ipc-rejections-suppressed", count: count)
    }
}
