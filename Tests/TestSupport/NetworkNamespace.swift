import Foundation
import Glibc

/// A network namespace of the test's own, joined to this one by a veth pair: a "host" whose
/// programs reach the servers of the test over a network interface, not over loopback. The
/// namespace's end is `address`, this one's `gateway`, on a /24 of 10.213.0.0/16 that nothing
/// else uses; a server the test starts listens on `gateway` to be reached from the namespace.
/// Made with `ip` (iproute2, as root), removed with its veth by `remove()` or `deinit`.
public final class NetworkNamespace {
    public let name: String
    /// This namespace's end of the pair, as the namespace's programs reach it.
    public let gateway: String
    /// The namespace's end.
    public let address: String
    private var isRemoved = false

    /// The prefix that runs a program in the namespace (`ip netns exec NAME`): it executes the
    /// program in its place, so the PID started is the program's.
    public var command: [String] { ["/usr/sbin/ip", "netns", "exec", name] }

    /// Makes namespace `index` (0-99) of this test process.
    public init(index: Int) throws {
        precondition((0..<100).contains(index))
        try SystemComponent.require(.ip)
        let process = Int(getpid())
        name = "movieclassifier-\(process)-\(index)"
        // Each test process its own networks, so that two test runs on one machine never meet.
        let subnet = "10.213.\((process % 2 + 1) * 100 + index)"
        gateway = subnet + ".1"
        address = subnet + ".2"
        let (outside, inside) = ("mc\(process % 100_000)o\(index)", "mc\(process % 100_000)i\(index)")
        try Self.ip(["netns", "add", name])
        do {
            try Self.ip(["link", "add", outside, "type", "veth", "peer", "name", inside])
            try Self.ip(["link", "set", inside, "netns", name])
            try Self.ip(["addr", "add", gateway + "/24", "dev", outside])
            try Self.ip(["link", "set", outside, "up"])
            try Self.ip(["netns", "exec", name, "ip", "addr", "add", address + "/24", "dev", inside])
            try Self.ip(["netns", "exec", name, "ip", "link", "set", inside, "up"])
            try Self.ip(["netns", "exec", name, "ip", "link", "set", "lo", "up"])
        } catch {
            remove()
            throw error
        }
    }

    deinit {
        remove()
    }

    /// Deletes the namespace, and with it the veth pair (its end in the namespace takes the
    /// other along).
    public func remove() {
        guard !isRemoved else { return }
        isRemoved = true
        try? Self.ip(["netns", "del", name])
    }

    private static func ip(_ arguments: [String]) throws {
        let (status, output) = try ProcessSpawn.run("/usr/sbin/ip", arguments, seconds: 10, includingErrors: true)
        guard status == 0 else {
            throw ProcessSpawn.Failure(description: "ip \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
    }
}
