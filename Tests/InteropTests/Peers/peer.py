"""The pyzmq side of Huddle's interop tests.

Each sub-command plays one ZeroMQ role against a Huddle socket started by the Swift test:

    peer.py version
    peer.py sub    --endpoint E --prefix P --until TOPIC
    peer.py pub    --endpoint E --warm-up-topic TOPIC --messages JSON
    peer.py pull   --endpoint E --count N
    peer.py push   --endpoint E --messages JSON
    peer.py dealer --endpoint E --ids ID[,ID...] --requests N
    peer.py router --endpoint E --count N [--curve-secret-key K --allow KEY...]
    peer.py curve-push --endpoint E --server-key K --public-key K --secret-key K --messages JSON

Messages travel as JSON: a message is a list of frames, a frame is its bytes in hex, so that
binary frames (every byte value, empty frames) survive the trip through argv and stdout.

Results are printed on stdout as JSON lines, one event per line, e.g.
    {"event": "message", "frames": ["00ff", ""]}
Diagnostics go to stderr. Every wait has a deadline (--timeout seconds, 10 by default): a peer
that runs out of time prints {"event": "timeout", ...} and exits with status 2, so a broken
test never leaves a process behind.
"""

import argparse
import json
import select
import struct
import sys
import time

try:
    import zmq
    import zmq.auth.thread
except ImportError as error:
    sys.exit(f"peer.py needs pyzmq ({error}); run scripts/test or: pip install pyzmq==27.3.0")

# How long close() may take to deliver what is still queued.
LINGER_MS = 5000


class Timeout(Exception):
    """A wait ran past the deadline."""


def emit(event, **fields):
    """Prints one JSON line on stdout, at once (the Swift test reads it as it comes)."""
    print(json.dumps({"event": event, **fields}), flush=True)


def frames_to_hex(frames):
    return [frame.hex() for frame in frames]


def messages_from_json(text):
    """Decodes --messages: a JSON list of messages, each a list of hex frames."""
    return [[bytes.fromhex(frame) for frame in message] for message in json.loads(text)]


class Deadline:
    """The moment the whole command must be done by."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def remaining_ms(self, what):
        left = self.end - time.monotonic()
        if left <= 0:
            raise Timeout(what)
        return max(1, int(left * 1000))


def receive(socket, deadline, what):
    """Receives one multipart message, or raises Timeout."""
    if not socket.poll(deadline.remaining_ms(what), zmq.POLLIN):
        raise Timeout(what)
    return socket.recv_multipart()


def make_socket(context, kind, linger=LINGER_MS):
    socket = context.socket(kind)
    socket.linger = linger
    return socket


# MARK: - Commands


def command_version(args, context, deadline):
    """Reports the pyzmq and libzmq versions, and whether CURVE is available."""
    emit("version", pyzmq=zmq.pyzmq_version(), libzmq=zmq.zmq_version(), curve=bool(zmq.has("curve")))


def command_sub(args, context, deadline):
    """SUB: prints every message that passes the prefix filter, up to the --until topic."""
    socket = make_socket(context, zmq.SUB)
    socket.subscribe(args.prefix.encode())
    socket.connect(args.endpoint)
    until = args.until.encode()
    while True:
        frames = receive(socket, deadline, f"a message on {args.endpoint}")
        emit("message", frames=frames_to_hex(frames))
        if frames[0] == until:
            return


def command_pub(args, context, deadline):
    """PUB: publishes warm-up messages until the test writes "go" on stdin, then --messages.

    A subscriber misses whatever is published before its subscription reaches the publisher
    (the slow joiner), so the test says "go" only once a warm-up message has arrived.
    """
    messages = messages_from_json(args.messages)
    socket = make_socket(context, zmq.PUB)
    socket.connect(args.endpoint)
    warm_up = [args.warm_up_topic.encode(), b""]
    while True:
        socket.send_multipart(warm_up)
        ready, _, _ = select.select([sys.stdin], [], [], min(0.02, deadline.remaining_ms("go") / 1000))
        if ready:
            line = sys.stdin.readline().strip()
            if line == "go":
                break
            raise SystemExit(f"expected 'go' on stdin, got {line!r}")
    for message in messages:
        socket.send_multipart(message)
    emit("sent", count=len(messages))


def command_pull(args, context, deadline):
    """PULL: prints --count messages."""
    socket = make_socket(context, zmq.PULL)
    socket.connect(args.endpoint)
    for index in range(args.count):
        frames = receive(socket, deadline, f"message {index + 1} of {args.count}")
        emit("message", frames=frames_to_hex(frames))


def command_push(args, context, deadline):
    """PUSH: sends --messages; closing with a linger lets them leave before the process ends."""
    messages = messages_from_json(args.messages)
    socket = make_socket(context, zmq.PUSH)
    socket.sndtimeo = deadline.remaining_ms("sending")
    socket.connect(args.endpoint)
    for message in messages:
        socket.send_multipart(message)
    emit("sent", count=len(messages))


def command_dealer(args, context, deadline):
    """DEALERs, one per --ids entry: each sends --requests requests and prints the replies it gets.

    A request is ["request", "<id>-<n>"]; whatever comes back is printed with the id of the
    DEALER that received it, so the test can check each reply reached the right peer.
    """
    dealers = {}
    for routing_id in args.ids.split(","):
        socket = make_socket(context, zmq.DEALER)
        socket.routing_id = routing_id.encode()
        socket.connect(args.endpoint)
        dealers[routing_id] = socket
    for number in range(1, args.requests + 1):
        for routing_id, socket in dealers.items():
            socket.send_multipart([b"request", f"{routing_id}-{number}".encode()])
    poller = zmq.Poller()
    for socket in dealers.values():
        poller.register(socket, zmq.POLLIN)
    waiting = len(dealers) * args.requests
    while waiting > 0:
        ready = dict(poller.poll(deadline.remaining_ms(f"{waiting} more replies")))
        for routing_id, socket in dealers.items():
            while ready.get(socket) and socket.poll(0, zmq.POLLIN):
                emit("message", socket=routing_id, frames=frames_to_hex(socket.recv_multipart()))
                waiting -= 1


def command_router(args, context, deadline):
    """ROUTER: binds, prints its endpoint, and answers --count requests.

    A request [id, body...] is printed whole and answered with [id, "reply", body...]. With
    --curve-secret-key the ROUTER is a CURVE server whose ZAP handler (pyzmq's own
    authenticator) admits only the --allow keys; handshake outcomes are printed as they happen.
    """
    socket = make_socket(context, zmq.ROUTER)
    monitor = None
    authenticator = None
    if args.curve_secret_key:
        authenticator = zmq.auth.thread.ThreadAuthenticator(context)
        authenticator.start()
        allowed = {key.encode() for key in args.allow}
        authenticator.configure_curve_callback("*", credentials_provider=AllowList(allowed))
        socket.curve_secretkey = args.curve_secret_key.encode()
        socket.curve_server = True
        monitor = socket.get_monitor_socket(HANDSHAKE_EVENTS)
    try:
        serve_requests(args, socket, monitor, deadline)
    finally:
        if authenticator is not None:
            authenticator.stop()


def serve_requests(args, socket, monitor, deadline):
    """Binds the ROUTER and answers --count requests, printing handshake events on the way."""
    socket.bind(args.endpoint)
    emit("bound", endpoint=socket.last_endpoint.decode())
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)
    if monitor is not None:
        poller.register(monitor, zmq.POLLIN)
    answered = 0
    while answered < args.count:
        ready = dict(poller.poll(deadline.remaining_ms(f"request {answered + 1} of {args.count}")))
        if monitor is not None and ready.get(monitor):
            emit_handshake(monitor.recv_multipart())
        if ready.get(socket):
            frames = socket.recv_multipart()
            emit("message", frames=frames_to_hex(frames))
            socket.send_multipart([frames[0], b"reply", *frames[1:]])
            answered += 1
    # Handshake events that came with the last request.
    while monitor is not None and monitor.poll(0, zmq.POLLIN):
        emit_handshake(monitor.recv_multipart())


def command_curve_push(args, context, deadline):
    """CURVE PUSH client: sends --messages and prints how the handshake ended.

    The messages leave only if the server admits this client; when it refuses, they are
    dropped at close (linger 0) instead of waiting for a connection that will never work.
    """
    messages = messages_from_json(args.messages)
    socket = make_socket(context, zmq.PUSH)
    socket.curve_serverkey = args.server_key.encode()
    socket.curve_publickey = args.public_key.encode()
    socket.curve_secretkey = args.secret_key.encode()
    monitor = socket.get_monitor_socket(HANDSHAKE_EVENTS)
    socket.connect(args.endpoint)
    for message in messages:
        socket.send_multipart(message)
    if emit_handshake(receive(monitor, deadline, "the CURVE handshake")) != "succeeded":
        socket.linger = 0


# MARK: - CURVE and monitor helpers

HANDSHAKE_OUTCOMES = {
    zmq.EVENT_HANDSHAKE_SUCCEEDED: "succeeded",
    zmq.EVENT_HANDSHAKE_FAILED_AUTH: "failed-authentication",
    zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL: "failed-protocol",
    zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL: "failed-no-detail",
}
HANDSHAKE_EVENTS = sum(HANDSHAKE_OUTCOMES)


def emit_handshake(frames):
    """Decodes a monitor event (a 16-bit event and a 32-bit value, then the endpoint) and prints it."""
    event, value = struct.unpack("=HI", frames[0][:6])
    outcome = HANDSHAKE_OUTCOMES.get(event, f"event-{event}")
    emit("handshake", outcome=outcome, value=value)
    return outcome


class AllowList:
    """A credentials provider for pyzmq's authenticator: admits the listed Z85 public keys."""

    def __init__(self, keys):
        self.keys = keys

    def callback(self, domain, key):
        return key in self.keys


# MARK: - Entry point


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="The pyzmq side of Huddle's interop tests.")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before giving up (default 10)")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("version")

    sub = commands.add_parser("sub")
    sub.add_argument("--endpoint", required=True)
    sub.add_argument("--prefix", required=True)
    sub.add_argument("--until", required=True, help="the topic of the last message to wait for")

    pub = commands.add_parser("pub")
    pub.add_argument("--endpoint", required=True)
    pub.add_argument("--warm-up-topic", required=True)
    pub.add_argument("--messages", required=True)

    pull = commands.add_parser("pull")
    pull.add_argument("--endpoint", required=True)
    pull.add_argument("--count", type=int, required=True)

    push = commands.add_parser("push")
    push.add_argument("--endpoint", required=True)
    push.add_argument("--messages", required=True)

    dealer = commands.add_parser("dealer")
    dealer.add_argument("--endpoint", required=True)
    dealer.add_argument("--ids", required=True)
    dealer.add_argument("--requests", type=int, required=True)

    router = commands.add_parser("router")
    router.add_argument("--endpoint", required=True)
    router.add_argument("--count", type=int, required=True)
    router.add_argument("--curve-secret-key")
    router.add_argument("--allow", action="append", default=[])

    curve_push = commands.add_parser("curve-push")
    curve_push.add_argument("--endpoint", required=True)
    curve_push.add_argument("--server-key", required=True)
    curve_push.add_argument("--public-key", required=True)
    curve_push.add_argument("--secret-key", required=True)
    curve_push.add_argument("--messages", required=True)
    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    command = globals()["command_" + args.command.replace("-", "_")]
    deadline = Deadline(args.timeout)
    context = zmq.Context()
    try:
        command(args, context, deadline)
    except Timeout as timeout:
        emit("timeout", waiting_for=str(timeout))
        print(f"peer.py {args.command}: timed out after {args.timeout}s waiting for {timeout}", file=sys.stderr)
        context.destroy(linger=0)
        return 2
    # Closes every socket with its linger, so queued messages leave before the process exits.
    context.destroy()
    emit("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
