import Foundation
import Messages
import TestSupport
import Testing

extension BusReliabilityTests {
    @Test(
        "two consumers each following half of the buckets apply exactly what one following all applies",
        arguments: Backend.allCases
    )
    func partitionedConsumersTogetherEqualOne(_ backend: Backend) async throws {
        let total = 30_000
        // The probe's signals are about acct-(n % 4096); count how many land in the low half.
        let low = (0..<total).filter { AccountBucket(accountID: "acct-\($0 % 4096)").index! < 0x80 }.count
        let rig = try await BusRig.start(backend)
        let (whole, wholeDatabase) = try await rig.consumer("whole", expect: total)
        let (lower, lowerDatabase) = try await rig.consumer("lower", expect: low, ["--buckets", "00-7f"])
        let (upper, upperDatabase) = try await rig.consumer("upper", expect: total - low, ["--buckets", "80-ff"])
        for consumer in [whole, lower, upper] { try await consumer.wait(for: "consuming", timeout: .seconds(30)) }
        let (publisher, _) = try await rig.publisher(total: total)
        for consumer in [whole, lower, upper] { try await consumer.wait(for: "done", timeout: .seconds(240)) }

        let all = try await AppliedEvents.read(wholeDatabase)
        let lowerHalf = try await AppliedEvents.read(lowerDatabase)
        let upperHalf = try await AppliedEvents.read(upperDatabase)
        #expect(all.applications == total && all.distinct == total)
        #expect(lowerHalf.applications == low && upperHalf.applications == total - low)
        #expect(Set(lowerHalf.entries).isDisjoint(with: upperHalf.entries))
        #expect((lowerHalf.entries + upperHalf.entries).sorted() == all.entries)
        publisher.process.terminate()
    }
}
