/// How a publisher reaches the bus and serves replays.
package struct PublisherSettings: Sendable {
    /// The bus proxies' XSUB endpoints; the relay sends every message to each.
    package var busEndpoints: [String]
    /// Where the replay ROUTER listens, such as `tcp://0.0.0.0:5560` (port 0: any free port).
    package var replayBind: String
    /// The host consumers reach the replay endpoint at (advertised in heartbeats).
    package var replayAdvertiseHost: String
    /// How often heartbeats go out.
    package var heartbeatInterval: Duration = .seconds(1)
    /// Outbox rows older than this (and already relayed) may be purged.
    package var retentionTime: Duration = .seconds(7 * 24 * 3600)
    /// At most this many relayed rows are kept, newest first.
    package var retentionCount: Int64 = 10_000_000
    /// How often the relay purges what retention lets go.
    package var purgeInterval: Duration = .seconds(5)
    /// How long a starting relay holds what it has to send until a proxy passed on the consumers'
    /// subscriptions: whatever ZeroMQ sends before that is dropped (see `BusSubscriptions`). With
    /// no consumer on the bus, sending starts when this has passed.
    package var subscriptionWait: Duration = .seconds(1)
    /// Most rows the relay reads and sends at a time.
    package var relayBatchSize = 2000

    package init(busEndpoints: [String], replayBind: String, replayAdvertiseHost: String) {
        self.busEndpoints = busEndpoints
        self.replayBind = replayBind
        self.replayAdvertiseHost = replayAdvertiseHost
    }
}
