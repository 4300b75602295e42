import Foundation
import Testing

@Suite("pyzmq interop: the Python peer", .timeLimit(.minutes(1)))
struct PythonPeerTests {
    @Test("the peer runs pyzmq over a libzmq of its own with CURVE support")
    func peerVersions() async throws {
        let peer = try PythonPeer("version")
        let version = try await peer.next()
        #expect(version.event == "version", "\(peer.report)")
        #expect(version.pyzmq?.isEmpty == false, "\(peer.report)")
        #expect(version.libzmq?.hasPrefix("4.") == true, "\(peer.report)")
        #expect(version.curve == true, "pyzmq's libzmq must support CURVE\n\(peer.report)")
        #expect(try await peer.finish().isEmpty)
    }

    @Test("without HUDDLE_PYTHON or a .venv, the tests fail and say to run scripts/test")
    func missingInterpreter() throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent/huddle")
        let unset = #expect(throws: PythonInterpreter.Unavailable.self) {
            try PythonInterpreter.locate(environment: [:], packageRoot: nowhere)
        }
        #expect(unset?.description.contains("scripts/test") == true)
        #expect(unset?.description.contains("/nonexistent/huddle/.venv/bin/python") == true)

        let broken = #expect(throws: PythonInterpreter.Unavailable.self) {
            try PythonInterpreter.locate(environment: ["HUDDLE_PYTHON": "/nonexistent/python"], packageRoot: nowhere)
        }
        #expect(broken?.description.contains("HUDDLE_PYTHON=/nonexistent/python") == true)
        #expect(broken?.description.contains("scripts/test") == true)
    }
}
