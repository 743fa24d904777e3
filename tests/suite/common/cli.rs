//! Running the `streamlab` binary: `streamlab replay FILE` on a temporary file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A file `name` holding `text`, in a directory of its own (tests run in parallel in one
/// process, and several write files of the same name).
pub fn write_temp(name: &str, text: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("streamlab-tests-{}", std::process::id())).join(n.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The `streamlab` binary that cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_streamlab"))
}

/// (exit code, stdout, stderr) of `streamlab replay FILE`.
pub fn replay_file(path: &Path) -> (i32, String, String) {
    let out = Command::new(bin()).arg("replay").arg(path).output().expect("run streamlab");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// (exit code, stdout, stderr) of `streamlab replay -` reading `input` on standard input.
pub fn replay_stdin(input: impl AsRef<[u8]>) -> (i32, String, String) {
    let mut child = Command::new(bin())
        .args(["replay", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run streamlab");
    child.stdin.take().unwrap().write_all(input.as_ref()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// (exit code, stdout, stderr) of `streamlab ARGS...`.
pub fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::new(bin()).args(args).output().expect("run streamlab");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}
