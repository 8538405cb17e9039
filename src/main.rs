fn main() {
    std::process::exit(ayni::cli::main());
}
