import NIOPosix

/// The one thread an SQLite connection runs on, which is also where the code that uses the
/// connection runs.
///
/// libsqlite3 blocks its caller (a commit waits for the disk), which must not happen on Swift's
/// few cooperative threads. This thread is the task executor a connection's users prefer
/// (``ConnectionSlot``): their code and the statements it runs (``SQLiteHandleDatabase``, which
/// runs each one synchronously) share it, so a whole transaction runs on one thread without a
/// hand-off or a wake-up.
final class ConnectionThread: TaskExecutor, Sendable {
    /// The thread, as a pool of one (where future-based callers' statements run too).
    let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // A job must run even after the pool stopped (it then runs here, on the caller's thread):
        // a task that never runs again would hang whoever awaits it.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }

    /// Stops the thread once everything queued has run.
    func stop() async {
        try? await pool.shutdownGracefully()
    }
}
