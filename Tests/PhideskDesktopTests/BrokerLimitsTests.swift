import Foundation
import PhideskAudit
import PhideskVault
import Testing

@testable import PhideskDesktop

/// What bounds a compromised page's use of the broker while nobody is signed in: sign-in
/// attempts per minute, and how much it can write to the pre-sign-in audit spool.
@Suite(.serialized) struct BrokerLimitsTests {
    static func world() throws -> (AttackFixture, Broker) {
        let fixture = try AttackFixture()
        let ui = try #require(BundledUI.folder())
        try fixture.build(bundledUI: ui)
        return (fixture, Broker(location: fixture.location, policy: fixture.policy))
    }

    @Test func signInAttemptsFromThePageAreThrottled() throws {
        let (fixture, broker) = try Self.world()
        defer { fixture.remove() }

        for attempt in 0..<Broker.signInAttemptLimit {
            #expect(throws: VaultError.signInFailed) {
                try broker.signIn(login: "nobody-\(attempt)", password: "wrong", code: "123456")
            }
        }
        // The next attempt does not reach the vault (no Argon2, no spooled failure).
        #expect {
            try broker.signIn(
                login: "dr.test", password: AttackFixture.password,
                code: try fixture.code("dr.test"))
        } throws: { error in
            if case VaultError.accountLocked = error { return true }
            return false
        }
        #expect(broker.vault == nil)
        #expect(broker.rejections.totals["signin-throttled"] == 1)

        // A minute later the page may try again.
        broker.now = { Date().addingTimeInterval(61) }
        try broker.signIn(login: "dr.test", password: AttackFixture.password,
                          code: try fixture.code("dr.test"))
        #expect(broker.vault != nil)
        broker.lock(because: .signOut)
    }

    @Test func refusalsSpooledBeforeSignInAreCappedAndCounted() throws {
        let (fixture, broker) = try Self.world()
        defer { fixture.remove() }
        let extra = 37

        for _ in 0..<(Broker.spooledRejectionLimit + extra) {
            broker.audit(rejection: "bad-payload")
        }
        let spool = try String(contentsOfFile: fixture.location.pendingAuditPath, encoding: .utf8)
        #expect(spool.split(separator: "\n").count == Broker.spooledRejectionLimit)

        // Signing in seals the spool into the trail and records how many were left out.
        try broker.signIn(login: "dr.test", password: AttackFixture.password,
                          code: try fixture.code("dr.test"))
        broker.lock(because: .signOut)
        let auditor = try fixture.signIn("auditor")
        defer { auditor.close() }
        let events = try auditor.auditTail(count: 2000)
        #expect(events.filter { $0.reasonCode == "bad-payload" }.count
                == Broker.spooledRejectionLimit)
        #expect(events.contains {
            $0.reasonCode == "ipc-rejections-suppressed" && $0.count == extra
        })
    }
}
