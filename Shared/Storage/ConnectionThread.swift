import NIOPosix

/// The one thread an SQLite connection runs on, which is also where the code that uses the
/// connection runs.
///
/// SQLiteNIO calls libsqlite3 on a thread pool and resumes the caller wherever Swift's global
/// executor sends it: two hand-offs between threads for every statement, each a wake-up through
/// the kernel. A transaction of six statements then cost more in wake-ups than in SQLite. This
/// thread is both the connection's one-thread pool and the task executor its users prefer
/// (``ConnectionSlot``), so a statement is queued behind the code that issued it and that code
/// resumes on the same thread: a whole transaction runs on one thread without a wake-up.
final class ConnectionThread: TaskExecutor, Sendable {
    /// The pool SQLiteNIO runs the connection's statements on.
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
