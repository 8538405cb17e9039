// Building a site allocates many small strings and JSON values on every
// core; mimalloc's per-thread heaps halve the time glibc's malloc took.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ayni::cli::Command;

fn main() {
    std::process::exit(ayni::cli::main_with(|command| {
        if matches!(command, Command::Build { .. } | Command::Check { .. }) {
            keep_freed_memory();
        }
    }));
}

/// mimalloc's `mi_option_purge_delay` (its number in `mimalloc.h`, v3),
/// which the bindings do not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build or a check runs once and exits. Memory it frees stays with the
/// process for its next allocations, instead of going back to the system
/// a second later and being faulted in again, zeroed by the kernel: at
/// 100,000 products 2 GB more were zeroed than the peak holds, and this
/// kind of virtual machine is slow to hand out fresh memory. The preview
/// server, which runs for hours, keeps the default.
fn keep_freed_memory() {
    // SAFETY: sets one integer option; called before any other thread runs.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
    no_huge_pages();
}

/// Transparent huge pages off for this process. With them, each first
/// touch of fresh memory had the kernel zero 2 MB: a fifth of a
/// 10,000-product build's samples, and most of its system time (7.1 s
/// with them, 2.9 s without, on a RAM disk; peak memory 820 MB against
/// 710). mimalloc's own switch is read when it starts, before `main`; the
/// kernel's is checked at each page fault, so setting it here is in time.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: a prctl that sets a flag of this process; no memory passed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_keeps_freed_memory_and_asks_for_no_huge_pages() {
        // The option number is mimalloc's, not ours: it must name the
        // option whose default is the purge delay's (1,000 ms in v3).
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        keep_freed_memory();
        assert_eq!(get(), -1);
        #[cfg(target_os = "linux")]
        {
            // SAFETY: reads a flag of this process.
            let thp_off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
            assert_eq!(thp_off, 1, "huge pages are still allowed");
        }
    }
}
