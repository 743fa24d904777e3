//! The `streamlab` binary: the native command line (`streamlab replay FILE`) and, compiled to
//! wasm32 by trunk, the browser app.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(streamlab::cli::run(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {
    streamlab::web::start();
}
