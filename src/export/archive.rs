//! The export as one archive (a POSIX tar file), for the lab's download button.

use super::file::ExportFile;

/// The files as a tar archive, each under `root/`, dated 2026-01-01 (the archive is the same
/// bytes for the same lab). Paths too long for tar (over 255 bytes) are left out rather than
/// cut, and so is a file the tar writer refuses; the archive then holds the rest.
pub fn tar(root: &str, files: &[ExportFile]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for f in files {
        let mut header = tar::Header::new_ustar();
        if header.set_path(format!("{root}/{}", f.path)).is_err() {
            continue;
        }
        header.set_size(f.text.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_767_225_600);
        header.set_cksum();
        let _ = builder.append(&header, f.text.as_bytes());
    }
    builder.into_inner().unwrap_or_default()
}
