//! Live heap after loading scenarios into the lab, as the page does (`Session::from_scenario_text`,
//! the lab's history limits), counted by an allocator that wraps the system's:
//!
//!   cargo bench --bench memory -- FILE...
//!
//! For each file: the invocations kept, the records in their events, and the bytes still
//! allocated once the session is built. Bytes per retained invocation: run a scenario for two
//! spans and divide the difference in bytes by the difference in invocations
//! (docs/benchmarks.md, "Long horizons and retained invocations").

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n, Relaxed);
        LIVE.fetch_sub(l.size(), Relaxed);
        System.realloc(p, l, n)
    }
}

// Natively only: the page's build has an allocator of its own.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    for path in std::env::args().skip(1).filter(|a| a != "--bench") {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let before = LIVE.load(Relaxed);
        let start = std::time::Instant::now();
        let session = match streamlab::Session::from_scenario_text(&text) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{path}: {e} (after {:.2} s)", start.elapsed().as_secs_f64());
                continue;
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        let live = LIVE.load(Relaxed).saturating_sub(before);
        let invocations = &session.engine().lambda().invocations;
        let records: usize = invocations.iter().map(|i| i.records.len()).sum();
        println!(
            "{path}: {} invocations kept ({records} records in their events), {:.1} MB live, loaded in {seconds:.2} s \
             ({:?})",
            invocations.len(),
            live as f64 / 1e6,
            session.engine().work()
        );
    }
}
