import Foundation
import PhideskCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Benchmark 1: AES-256-GCM through the Swift wrapper against OpenSSL's own loop, both
/// on this machine in this run, so the ratio cancels out the machine's speed.
struct CryptoBench {
    let quick: Bool

    static let bufferBytes = 16_384
    static let target = 0.90

    /// Rates in MB/s by CPU time (what `openssl speed` reports by default) and by wall
    /// time (`openssl speed -elapsed`).
    private struct Rates {
        var cpu: [Double] = []
        var wall: [Double] = []
    }

    func run() throws -> BenchmarkSection {
        var section = BenchmarkSection(title: "1. AES-256-GCM throughput")
        let cipher = try AESGCM(key: try SymmetricKey.generate())
        let buffer = try SystemRandom.bytes(count: Self.bufferBytes)

        // Interleaved, so a burst of load from other processes hits both sides alike.
        let rounds = quick ? 1 : 3
        let opensslSeconds = quick ? 1 : 3
        var swift = Rates()
        var openssl = Rates()
        for round in 1...rounds {
            Progress.say("AES-GCM round \(round)/\(rounds): Swift")
            for _ in 0..<(quick ? 2 : 3) {
                let (cpu, wall) = try swiftRate(cipher, buffer, seconds: quick ? 0.3 : 1)
                swift.cpu.append(cpu)
                swift.wall.append(wall)
            }
            Progress.say(
                "AES-GCM round \(round)/\(rounds): openssl speed (2 × \(opensslSeconds) s)")
            if let rate = opensslRate(seconds: opensslSeconds, elapsed: false) {
                openssl.cpu.append(rate)
            }
            if let rate = opensslRate(seconds: opensslSeconds, elapsed: true) {
                openssl.wall.append(rate)
            }
        }

        let command = "openssl speed -evp aes-256-gcm -bytes 16384 -seconds \(opensslSeconds)"
        section.rows.append(
            ReportRow(
                "Swift `AESGCM.seal`, 16 KiB, reused context, by CPU time "
                    + "(median of \(swift.cpu.count))",
                Format.fixed(Stats.median(swift.cpu), 0) + " MB/s"))
        section.rows.append(
            ReportRow(
                "`\(command)` (user CPU time; median of \(openssl.cpu.count))",
                openssl.cpu.isEmpty ? "not available"
                    : Format.fixed(Stats.median(openssl.cpu), 0) + " MB/s"))
        section.rows.append(
            ratioRow("Swift / OpenSSL, CPU time", swift.cpu, openssl.cpu, judged: true))
        section.rows.append(
            ReportRow(
                "Swift by wall time / `openssl speed -elapsed` (medians)",
                Format.fixed(Stats.median(swift.wall), 0) + " / "
                    + (openssl.wall.isEmpty ? "n/a" : Format.fixed(Stats.median(openssl.wall), 0))
                    + " MB/s"))
        section.rows.append(
            ratioRow("Swift / OpenSSL, wall time (informative)", swift.wall, openssl.wall,
                judged: false))
        section.notes = [
            "MB = 10^6 bytes. OpenSSL reports 1000s of bytes/s; converted.",
            "`openssl speed` divides by user CPU time unless given `-elapsed`; the judged "
                + "ratio therefore uses the Swift thread's CPU time (user + system, "
                + "CLOCK_THREAD_CPUTIME_ID), which keeps time lost to other processes on "
                + "this shared 2-core machine out of both sides. Wall-time figures are shown "
                + "for comparison and swing with the load.",
            "`openssl speed -evp` streams one context with no per-message work. The Swift "
                + "figure includes what every record seal pays: a fresh 96-bit nonce "
                + "from OpenSSL's DRBG, setting it on the context, the 32-byte header as "
                + "AAD, the tag, and a newly allocated, output array (not zero-filled).",
            "Swift CPU-time runs: " + list(swift.cpu) + "; OpenSSL: " + list(openssl.cpu)
                + ". Wall time, Swift: " + list(swift.wall) + "; OpenSSL -elapsed: "
                + list(openssl.wall) + ".",
        ]
        return section
    }

    private func ratioRow(_ figure: String, _ swift: [Double], _ openssl: [Double],
        judged: Bool) -> ReportRow
    {
        guard !openssl.isEmpty else {
            return ReportRow(figure, "not measured", target: judged ? "≥ 0.90" : "—",
                verdict: judged ? .fail : .none)
        }
        let ratio = Stats.median(swift) / Stats.median(openssl)
        guard judged else { return ReportRow(figure, Format.fixed(ratio, 3)) }
        return .judged(figure, Format.fixed(ratio, 3), target: "≥ 0.90",
            passed: ratio >= Self.target)
    }

    private func list(_ rates: [Double]) -> String {
        rates.map { Format.fixed($0, 0) }.joined(separator: ", ")
    }

    /// MB/s (by thread CPU time, by wall time) of sealing `buffer` repeatedly for about
    /// `seconds` of wall time.
    private func swiftRate(_ cipher: AESGCM, _ buffer: [UInt8], seconds: Double) throws
        -> (cpu: Double, wall: Double)
    {
        let cpuStart = Self.threadCPUSeconds()
        var sink: UInt8 = 0
        var sealed = 0
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed = 0.0
        try buffer.withUnsafeBytes { input in
            let noAAD = UnsafeRawBufferPointer(start: nil, count: 0)
            while elapsed < seconds {
                // Batches of 64 keep clock reads out of the measured cost.
                for _ in 0..<64 {
                    let box = try cipher.seal(input, authenticating: noAAD)
                    sink ^= box[box.count - 1]
                }
                sealed += 64
                elapsed = Stopwatch.seconds(clock.now - start)
            }
        }
        // Keeps the optimiser from discarding the seals.
        let cpu = Self.threadCPUSeconds() - cpuStart
        if sink == 0x5a && sealed < 0 { print("") }
        let megabytes = Double(sealed * Self.bufferBytes) / 1e6
        return (megabytes / cpu, megabytes / elapsed)
    }

    private static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// MB/s from `openssl speed`'s "AES-256-GCM" line (figures in 1000s of bytes/s).
    private func opensslRate(seconds: Int, elapsed: Bool) -> Double? {
        let arguments = (elapsed ? ["speed", "-elapsed"] : ["speed"]) + [
            "-evp", "aes-256-gcm", "-bytes", "\(Self.bufferBytes)", "-seconds", "\(seconds)",
        ]
        guard let output = Subprocess.run("openssl", arguments) else { return nil }
        for line in output.split(separator: "\n") where line.lowercased().hasPrefix("aes-256-gcm")
        {
            let fields = line.split(separator: " ")
            guard let last = fields.last, last.hasSuffix("k"),
                let thousands = Double(last.dropLast())
            else { continue }
            return thousands * 1000 / 1e6
        }
        return nil
    }
}

/// Argon2id at the vault's default cost: no target, reported because it is the unlock
/// delay a user feels.
struct Argon2Bench {
    let quick: Bool

    func run() throws -> BenchmarkSection {
        var section = BenchmarkSection(title: "6. Argon2id key derivation (no target)")
        let parameters = Argon2id.Parameters.vaultDefault
        let passphrase = SecureBytes(copying: Array("phidesk-bench-passphrase".utf8))
        let salt = try SystemRandom.bytes(count: Argon2id.saltByteCount)
        var samples: [Double] = []
        for run in 1...(quick ? 1 : 3) {
            Progress.say("Argon2id vaultDefault derive \(run)")
            samples.append(
                try Stopwatch.seconds {
                    _ = try Argon2id.derive(
                        passphrase: passphrase, salt: salt, parameters: parameters)
                })
        }
        section.rows.append(
            ReportRow(
                "Argon2id m=\(parameters.memoryKiB) KiB, t=\(parameters.iterations), "
                    + "p=\(parameters.parallelism) (median of \(samples.count))",
                Format.milliseconds(Stats.median(samples))))
        return section
    }
}
