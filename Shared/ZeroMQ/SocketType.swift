import CZeroMQ

/// The socket types Huddle uses, named as in the ZeroMQ Guide.
public enum SocketType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case pair, publish, subscribe, extendedPublish, extendedSubscribe, push, pull, router, dealer, request, reply

    var rawValue: Int32 {
        switch self {
        case .pair: ZMQ_PAIR
        case .publish: ZMQ_PUB
        case .subscribe: ZMQ_SUB
        case .extendedPublish: ZMQ_XPUB
        case .extendedSubscribe: ZMQ_XSUB
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .request: ZMQ_REQ
        case .reply: ZMQ_REP
        }
    }

    /// Whether messages can be received on this type (PUSH and PUB only send).
    public var canReceive: Bool { self != .push && self != .publish }

    /// Whether messages can be sent on this type (PULL and SUB only receive).
    public var canSend: Bool { self != .pull && self != .subscribe }

    /// The libzmq name: `PUB`, `XSUB`, `ROUTER`, …
    public var description: String {
        switch self {
        case .pair: "PAIR"
        case .publish: "PUB"
        case .subscribe: "SUB"
        case .extendedPublish: "XPUB"
        case .extendedSubscribe: "XSUB"
        case .push: "PUSH"
        case .pull: "PULL"
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .request: "REQ"
        case .reply: "REP"
        }
    }
}
