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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // The option number is mimalloc's, not ours: it must name the
        // option whose default is the purge delay's (1,000 ms in v3).
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        keep_freed_memory();
        assert_eq!(get(), -1);
    }
}
