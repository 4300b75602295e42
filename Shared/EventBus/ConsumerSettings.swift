import Messages

/// What a consumer follows and how it copes with trouble.
package struct ConsumerSettings: Sendable {
    /// The consumer's name, for logs and metrics.
    package var name: String
    /// The bus proxies' XPUB endpoints; the consumer subscribes through each.
    package var busEndpoints: [String]
    /// The streams to follow.
    package var streams: StreamSelection
    /// ZeroMQ's receive high-water mark on the subscription.
    package var receiveHighWaterMark: Int32 = 100_000
    /// Messages the socket holds for the consumer before it stops reading.
    package var receiveQueueCapacity = 8192
    /// Events held ahead of a gap, over all streams; beyond it they are fetched again by replay.
    package var earlyCapacity = 50_000
    /// Most events applied in one transaction.
    package var batchSize = 2000
    /// Events asked for in one replay request (the credit).
    package var replayCredit = 2000
    /// How long a replay request may take before it is retried.
    package var replayTimeout: Duration = .seconds(5)
    /// Attempts at applying an event whose handler fails, before it is parked in the dead letters.
    package var maxAttempts = 3
    /// The wait before the second attempt; it doubles after each failure.
    package var retryBackoff: Duration = .milliseconds(50)
    /// The largest envelope accepted; larger ones are counted, logged and dropped by the socket.
    package var maxEnvelopeBytes = 1 << 20

    package init(name: String, busEndpoints: [String], streams: StreamSelection) {
        self.name = name
        self.busEndpoints = busEndpoints
        self.streams = streams
    }
}

/// The streams a consumer follows: families, and the account buckets it owns.
package struct StreamSelection: Sendable, Hashable {
    package var families: [TopicFamily]
    /// The buckets followed; `noAccount` (`--`) is part of every selection that includes all buckets.
    package var buckets: Set<AccountBucket>

    /// Every bucket, and `--` for events without an account.
    package static let allBuckets = Set(AccountBucket.all + [.noAccount])

    package init(families: [TopicFamily], buckets: Set<AccountBucket> = allBuckets) {
        self.families = families
        self.buckets = buckets
    }

    /// The subscription prefixes: a whole family when every bucket is followed, else each stream.
    package var topicPrefixes: [[UInt8]] {
        if buckets == Self.allBuckets { return families.map { Array("\($0.name).".utf8) } }
        return families.flatMap { family in
            buckets.map { StreamName(family: family, bucket: $0).topicPrefix }
        }
    }

    package func contains(_ stream: StreamName) -> Bool {
        buckets.contains(stream.bucket) && families.contains(stream.family)
    }
}
