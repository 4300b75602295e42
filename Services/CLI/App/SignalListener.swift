import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Delivers SIGINT and SIGTERM (or any signals) to a handler instead of ending the process.
final class SignalListener {
    private var sources: [any DispatchSourceSignal] = []

    /// Starts listening; `handler` runs on a Dispatch queue, once per delivered signal.
    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            // A Dispatch signal source only sees signals whose default action no longer ends the process.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops delivering; the signals stay ignored until the process exits.
    func cancel() {
        for source in sources {
            source.cancel()
        }
    }
}
