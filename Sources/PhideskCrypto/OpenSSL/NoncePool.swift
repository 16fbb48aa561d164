internal import COpenSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Random 96-bit GCM nonces, drawn from a buffer that is refilled in bulk.
///
/// One `RAND_bytes` call costs far more than the 12 bytes it returns (provider lookups,
/// locking, a fork check), which was a fifth of sealing a 16 KiB record. The pool asks
/// once per 64 nonces instead. Every byte is handed out at most once and then wiped, so
/// nonces are exactly as random and unique as when drawn one by one.
///
/// A forked child would inherit the unused bytes and could reuse the parent's next
/// nonces under the same key; a fork handler bumps a generation counter in the child, so
/// the child's pools drop what they hold and refill from OpenSSL (which reseeds after
/// fork).
/// Not thread-safe, like the ``AESGCM`` instance that owns it.
final class NoncePool {
    static let noncesPerRefill = 64

    private let buffer: UnsafeMutableRawBufferPointer
    private var next: Int
    private var generation: UInt64

    init() {
        ForkGeneration.installHandler()
        buffer = .allocate(
            byteCount: SealedBox.nonceByteCount * Self.noncesPerRefill, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        // Empty: the first seal fills it, so instances that only open never draw.
        next = buffer.count
        generation = ForkGeneration.current
    }

    deinit {
        buffer.deallocate()
    }

    /// Calls `body` with a nonce no other call (of any pool) has been given.
    func withNextNonce<Result>(
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let now = ForkGeneration.current
        if next == buffer.count || now != generation {
            try SystemRandom.fill(buffer)
            next = 0
            generation = now
        }
        let nonce = UnsafeMutableRawBufferPointer(
            rebasing: buffer[next..<(next + SealedBox.nonceByteCount)])
        next += SealedBox.nonceByteCount
        // Wiped after use so a later bug cannot hand the same bytes out twice.
        defer { nonce.initializeMemory(as: UInt8.self, repeating: 0) }
        return try body(UnsafeRawBufferPointer(nonce))
    }
}

/// Counts forks of this process (in the child), so nonce pools notice them.
enum ForkGeneration {
    private static let counter = Atomic<UInt64>(0)
    private static let installed = Atomic<Bool>(false)

    static var current: UInt64 { counter.load(ordering: .acquiring) }

    static func installHandler() {
        guard !installed.load(ordering: .acquiring) else { return }
        let claimed = installed.compareExchange(
            expected: false, desired: true, ordering: .acquiringAndReleasing)
        if claimed.exchanged {
            pthread_atfork(nil, nil) {
                ForkGeneration.counter.add(1, ordering: .releasing)
            }
        }
    }
}
