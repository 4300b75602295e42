import CZeroMQ

/// Readiness flags for ``Poller``.
public struct PollEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// A message can be received (or a file descriptor read) without blocking.
    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// A message can be sent without blocking.
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
    /// An error condition on a file descriptor.
    public static let error = PollEvents(rawValue: Int16(ZMQ_POLLERR))
}

/// Waits for readiness on several sockets and file descriptors at once (`zmq_poll`).
///
/// Like sockets, a poller belongs to one thread. Items keep their index for the poller's life.
public struct Poller {
    private var items: [zmq_pollitem_t] = []
    // Keeps the sockets alive while their raw handles sit in `items`.
    private var sockets: [Socket?] = []

    /// An empty poller.
    public init() {}

    /// Watches `socket` for `events`; returns the item's index.
    @discardableResult
    public mutating func add(_ socket: Socket, events: PollEvents) throws(ZeroMQError) -> Int {
        let handle = try socket.open("zmq_poll")
        items.append(zmq_pollitem_t(socket: handle, fd: -1, events: events.rawValue, revents: 0))
        sockets.append(socket)
        return items.count - 1
    }

    /// Watches a plain file descriptor for `events`; returns the item's index.
    @discardableResult
    public mutating func add(fileDescriptor: Int32, events: PollEvents) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events.rawValue, revents: 0))
        sockets.append(nil)
        return items.count - 1
    }

    /// Changes which events item `index` is watched for (an empty set ignores it).
    public mutating func setEvents(_ events: PollEvents, at index: Int) {
        items[index].events = events.rawValue
    }

    /// Waits until at least one item is ready or `timeout` passes; returns how many are ready.
    /// An interrupted wait is retried.
    @discardableResult
    public mutating func poll(timeout: Timeout) throws(ZeroMQError) -> Int {
        let count = Int32(items.count)
        let milliseconds = Int(timeout.rawMilliseconds)
        let ready = try items.withUnsafeMutableBufferPointer { (buffer) throws(ZeroMQError) in
            try retryingInterrupts("zmq_poll") { zmq_poll(buffer.baseAddress, count, milliseconds) }
        }
        return Int(ready ?? 0)
    }

    /// The events item `index` was ready for after the last ``poll(timeout:)``.
    public func readyEvents(at index: Int) -> PollEvents {
        PollEvents(rawValue: items[index].revents)
    }
}
