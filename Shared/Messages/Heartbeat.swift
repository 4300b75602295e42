/// What every publisher sends once a second on ``Heartbeat/topic``: the latest `seq` it has sent
/// on each of its streams, and where to fetch what a consumer missed.
///
/// A consumer that has applied less of a stream than a heartbeat reports lost the tail of it
/// (or restarted) and fetches the rest from `replay` before applying anything newer.
package struct Heartbeat: Codable, Hashable, Sendable {
    /// The topic heartbeats travel on; consumers subscribe to it besides their streams.
    package static let topic = "bus.--.heartbeat"

    /// One stream's latest sent sequence number.
    package struct StreamPosition: Codable, Hashable, Sendable {
        package var stream: StreamName
        package var seq: UInt64

        package init(stream: StreamName, seq: UInt64) {
            self.stream = stream
            self.seq = seq
        }
    }

    /// The publisher's stable id.
    package var publisher: String
    /// The publisher's replay ROUTER endpoint, as a consumer connects to it (`tcp://host:port`).
    package var replay: String
    /// When the heartbeat was sent.
    package var time: Timestamp
    /// The latest sent `seq` of every stream the publisher has published on.
    package var streams: [StreamPosition]

    package init(publisher: String, replay: String, time: Timestamp, streams: [StreamPosition]) {
        self.publisher = publisher
        self.replay = replay
        self.time = time
        self.streams = streams
    }
}
