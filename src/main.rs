//! The `streamlab` binary: the native command line (`streamlab replay FILE`) and, compiled to
//! wasm32 by trunk, the browser app.

/// Natively, `streamlab replay` allocates with mimalloc: the engine makes many small
/// allocations, and the 1,000,000-write replay runs in 7.8 s with it against 12.1 s with
/// glibc's malloc (docs/benchmarks.md). The library leaves the allocator to its users (tests
/// and the fuzz targets keep the system one); on wasm32 the library sets talc (src/lib.rs).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(streamlab::cli::run(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {
    streamlab::web::start();
}
