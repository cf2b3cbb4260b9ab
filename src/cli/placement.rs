//! Keeping `check`'s threads on separate CPUs, so that a woken worker runs at once.
//!
//! On the 2-CPU VMs here Linux often queued a new or woken worker on the CPU of the thread
//! that woke it, which is busy linting, instead of on the idle CPU; the worker then waited
//! for the scheduler's periodic balancing, up to a tick, with one CPU idle meanwhile
//! (`perf sched timehist`: 3.7 ms of scheduling delay on a 17 ms batch, the other CPU idle
//! throughout). Measured on a toy program, a woken thread whose waker keeps running started
//! after a median 43 µs and a 75th percentile of 1.7 ms; with the two pinned apart, after a
//! median 26 µs and at most 48 µs.
//!
//! So when `check` starts its workers, this thread is kept on the CPU it runs on and the
//! workers on the others, for the rest of the run (a short-lived process; the language
//! server starts no workers). With one CPU allowed, or where the calls are missing or fail,
//! threads run where the system puts them.

/// Runs `start`, which starts workers with [`spawn_elsewhere`], so that they are kept off the
/// CPU this thread runs on now, then keeps this thread on that CPU. The pins are set around
/// `start`, not before it: the CPUs a thread may use are what the standard library and rayon
/// count as available. Does nothing special when there is no other CPU or no worker started.
pub fn start_apart<R>(start: impl FnOnce() -> R) -> R {
    let held = imp::split();
    let started = start();
    if let Some(cpu) = held.filter(|_| imp::placed_any()) {
        imp::hold(cpu);
    }
    started
}

/// Spawns `run` on a new thread, kept off the CPU that [`start_apart`] holds when called
/// inside it.
pub fn spawn_elsewhere(
    builder: std::thread::Builder,
    run: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    imp::spawn_elsewhere(builder, run)
}

#[cfg(target_os = "linux")]
mod imp {
    use std::os::unix::thread::JoinHandleExt;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The CPUs workers may use: those the starting thread was allowed, but the one it holds.
    static OTHERS: OnceLock<libc::cpu_set_t> = OnceLock::new();

    /// Whether a thread was kept off the starting thread's CPU.
    static PLACED: AtomicBool = AtomicBool::new(false);

    pub fn placed_any() -> bool {
        PLACED.load(Ordering::Relaxed)
    }

    const SET_SIZE: usize = std::mem::size_of::<libc::cpu_set_t>();

    /// The CPUs the calling thread may run on, if the call succeeds.
    pub(super) fn allowed() -> Option<libc::cpu_set_t> {
        // SAFETY: a zeroed cpu_set_t is a valid empty set, and the call writes at most its size.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            (libc::sched_getaffinity(0, SET_SIZE, &mut set) == 0).then_some(set)
        }
    }

    /// Records the CPUs other than the current one for workers; returns the current one.
    pub fn split() -> Option<usize> {
        // SAFETY: sched_getcpu has no preconditions (-1: unknown); the CPU_* macros read and
        // write only the set given, with `cpu` checked against the set's capacity.
        unsafe {
            let cpu = usize::try_from(libc::sched_getcpu()).ok()?;
            let mut others = allowed()?;
            if cpu >= 8 * SET_SIZE || !libc::CPU_ISSET(cpu, &others) {
                return None;
            }
            libc::CPU_CLR(cpu, &mut others);
            if libc::CPU_COUNT(&others) == 0 {
                return None;
            }
            OTHERS.set(others).ok()?;
            Some(cpu)
        }
    }

    /// Keeps the calling thread on `cpu` (moving it back there if it moved).
    pub fn hold(cpu: usize) {
        // SAFETY: `cpu` was checked against the set's capacity by `split`; the call reads a
        // valid set. A failure leaves the thread free.
        unsafe {
            let mut here: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(cpu, &mut here);
            libc::sched_setaffinity(0, SET_SIZE, &here);
        }
    }

    pub fn spawn_elsewhere(
        builder: std::thread::Builder,
        run: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<()> {
        let handle = builder.spawn(run)?;
        if let Some(others) = OTHERS.get() {
            // SAFETY: the handle's pthread_t names a live thread (it has not been joined), and
            // `others` is a valid set. A failure leaves the thread where the system put it.
            let placed =
                unsafe { libc::pthread_setaffinity_np(handle.as_pthread_t(), SET_SIZE, others) };
            if placed == 0 {
                PLACED.store(true, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn split() -> Option<usize> {
        None
    }

    pub fn hold(_: usize) {}

    pub fn placed_any() -> bool {
        false
    }

    pub fn spawn_elsewhere(
        builder: std::thread::Builder,
        run: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<()> {
        builder.spawn(run).map(drop)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// How many CPUs the calling thread may run on.
    fn count(set: Option<libc::cpu_set_t>) -> i32 {
        // SAFETY: CPU_COUNT reads the set given.
        set.map_or(0, |s| unsafe { libc::CPU_COUNT(&s) })
    }

    /// With more than one CPU, the starting thread keeps one and a spawned thread gets the
    /// rest; with one, nothing changes. Runs on a thread of its own, whose pin dies with it
    /// (and the only test that starts threads apart: the split is recorded once a process).
    #[test]
    fn holder_keeps_one_cpu_and_workers_get_the_others() {
        std::thread::spawn(|| {
            let before = count(super::imp::allowed());
            let (tx, rx) = std::sync::mpsc::channel();
            let (go, placed) = std::sync::mpsc::channel::<()>();
            super::start_apart(|| {
                super::spawn_elsewhere(std::thread::Builder::new(), move || {
                    // The parent places the thread after spawning it: wait until it has.
                    placed.recv().unwrap();
                    tx.send(count(super::imp::allowed())).unwrap();
                })
                .unwrap();
            });
            go.send(()).unwrap();
            let held = count(super::imp::allowed());
            let worker = rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
            if before > 1 {
                assert_eq!((held, worker), (1, before - 1));
            } else {
                assert_eq!((held, worker), (before, before));
            }
        })
        .join()
        .unwrap();
    }
}
