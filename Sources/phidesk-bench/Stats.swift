/// Order statistics and timing. Benchmarks report medians and percentiles rather than
/// means, because the machine is shared and a few runs are slowed by other work.
enum Stats {
    /// Median; 0 for no samples (callers always pass at least one).
    static func median(_ samples: [Double]) -> Double {
        percentile(samples, 50)
    }

    /// Nearest-rank percentile (`p` in 0...100), so every reported value was observed.
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// Wall-clock timing on the monotonic clock.
enum Stopwatch {
    /// Runs `body` and returns its result with the elapsed seconds.
    static func time<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (result, seconds(clock.now - start))
    }

    /// Elapsed seconds of `body`, discarding its result.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        try time(body).1
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
