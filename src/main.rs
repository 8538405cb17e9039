// Building a site allocates many small strings and JSON values on every
// core; mimalloc's per-thread heaps halve the time glibc's malloc took.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(ayni::cli::main());
}
