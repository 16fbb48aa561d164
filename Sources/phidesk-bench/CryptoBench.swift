import Foundation
import PhideskCrypto

/// Benchmark 1: AES-256-GCM through the Swift wrapper against OpenSSL's own loop, both
/// on this machine in this run, so the ratio cancels out the machine's speed.
struct CryptoBench {
    let quick: Bool

    static let bufferBytes = 16_384
    static let target = 0.90

    func run() throws -> BenchmarkSection {
        var section = BenchmarkSection(title: "1. AES-256-GCM throughput")
        let cipher = try AESGCM(key: try SymmetricKey.generate())
        let buffer = try SystemRandom.bytes(count: Self.bufferBytes)

        // Interleaved, so a burst of load from other processes hits both sides alike.
        let rounds = quick ? 1 : 3
        let opensslSeconds = quick ? 1 : 3
        var swiftRates: [Double] = []
        var opensslRates: [Double] = []
        for round in 1...rounds {
            Progress.say("AES-GCM round \(round)/\(rounds): Swift")
            for _ in 0..<(quick ? 2 : 3) {
                swiftRates.append(try swiftRate(cipher, buffer, seconds: quick ? 0.3 : 1))
            }
            Progress.say("AES-GCM round \(round)/\(rounds): openssl speed (\(opensslSeconds) s)")
            if let rate = opensslRate(seconds: opensslSeconds) {
                opensslRates.append(rate)
            }
        }

        let swift = Stats.median(swiftRates)
        section.rows.append(
            ReportRow(
                "Swift `AESGCM.seal`, 16 KiB, reused context (median of \(swiftRates.count))",
                Format.fixed(swift, 0) + " MB/s"))
        guard !opensslRates.isEmpty else {
            section.rows.append(ReportRow("`openssl speed`", "not available"))
            section.rows.append(
                ReportRow("Swift / OpenSSL", "not measured", target: "≥ 0.90", verdict: .fail))
            return section
        }
        let openssl = Stats.median(opensslRates)
        let command = "openssl speed -evp aes-256-gcm -bytes 16384 -seconds \(opensslSeconds)"
        section.rows.append(
            ReportRow(
                "`\(command)` (median of \(opensslRates.count))",
                Format.fixed(openssl, 0) + " MB/s"))
        section.rows.append(
            .judged(
                "Swift / OpenSSL", Format.fixed(swift / openssl, 3), target: "≥ 0.90",
                passed: swift / openssl >= Self.target))
        section.notes = [
            "MB = 10^6 bytes. OpenSSL reports 1000s of bytes/s; converted.",
            "Swift figure includes what every record seal pays: a fresh 96-bit nonce "
                + "from the CSPRNG, the 32-byte header as AAD and a newly allocated "
                + "output array.",
            "Swift runs: " + swiftRates.map { Format.fixed($0, 0) }.joined(separator: ", ")
                + "; OpenSSL runs: "
                + opensslRates.map { Format.fixed($0, 0) }.joined(separator: ", ") + ".",
        ]
        return section
    }

    /// MB/s of sealing `buffer` repeatedly for about `seconds`.
    private func swiftRate(_ cipher: AESGCM, _ buffer: [UInt8], seconds: Double) throws
        -> Double
    {
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
        if sink == 0x5a && sealed < 0 { print("") }
        return Double(sealed * Self.bufferBytes) / elapsed / 1e6
    }

    /// MB/s from `openssl speed`'s "AES-256-GCM" line (figures in 1000s of bytes/s).
    private func opensslRate(seconds: Int) -> Double? {
        let arguments = [
            "speed", "-evp", "aes-256-gcm", "-bytes", "\(Self.bufferBytes)",
            "-seconds", "\(seconds)",
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
