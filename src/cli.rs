//! The native command line: `streamlab replay FILE`, `streamlab export FILE --runtime R --out DIR`,
//! `streamlab check FILE...`, `streamlab grade FILE`, `streamlab scorm DIST --out ZIP`.

use std::io::{self, Write};

const USAGE: &str =
    "usage: streamlab replay FILE      replay a scenario file (or - for standard input) and print what happened as JSON
       streamlab check FILE|DIR...  check lesson and quiz files (and index.json) as the teaching test does
       streamlab grade FILE [--banks DIR]
                                grade exam result codes (one a line) again with the engine against the
                                quiz banks in DIR (default www/quizzes), and print CSV
       streamlab scorm DIST --out ZIP
                                package a release build made with --public-url ./ (make scorm) as a
                                SCORM 1.2 zip: one SCO per lesson and quiz bank of DIST's index.json

A scenario is a JSON file of DynamoDB, DynamoDB Streams and Lambda steps; see README.md.
Exit status: 0 when the scenario ran (failing steps are reported in its output),
1 when the file is not a valid scenario, 2 on a usage error.
check: 0 when every file passed, 1 otherwise. grade: 0 when every code was graded, 1 when a
code was invalid or could not be graded (its row says why). scorm: 0 when the zip was written,
1 otherwise.

       streamlab export FILE --runtime python|nodejs --out DIR
                                write what the scenario leaves deployed as an AWS SAM application:
                                DIR/template.yaml, DIR/README.md, DIR/functions/<name>/ (one handler
                                per function). Exit status 1 when the file is not a valid scenario
                                or DIR cannot be written.";

/// Runs the command line; returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    match args {
        [cmd, file] if cmd == "replay" => replay(file),
        [cmd, files @ ..] if cmd == "check" && !files.is_empty() => {
            let paths: Vec<std::path::PathBuf> = files.iter().map(std::path::PathBuf::from).collect();
            let (report, ok) = crate::teach::check::check_paths(&paths);
            print!("{report}");
            i32::from(!ok)
        }
        [cmd, file] if cmd == "grade" => grade(file, "www/quizzes"),
        [cmd, file, flag, dir] if cmd == "grade" && flag == "--banks" => grade(file, dir),
        [cmd, rest @ ..] if cmd == "export" => export(rest),
        [cmd, dist, flag, out] if cmd == "scorm" && flag == "--out" => {
            match crate::teach::scorm::write_package(std::path::Path::new(dist), std::path::Path::new(out)) {
                Ok(line) => {
                    println!("{line}");
                    0
                }
                Err(e) => {
                    eprintln!("streamlab: {e}");
                    1
                }
            }
        }
        [flag] if flag == "-h" || flag == "--help" || flag == "help" => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

/// `streamlab grade FILE`: each code of FILE graded against the banks of `banks` (read once
/// each, when a code names them).
fn grade(file: &str, banks: &str) -> i32 {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("streamlab: cannot read {file}: {e}");
            return 1;
        }
    };
    let dir = std::path::Path::new(banks);
    let cache = std::cell::RefCell::new(std::collections::BTreeMap::new());
    let find = |id: &str| {
        cache
            .borrow_mut()
            .entry(id.to_string())
            .or_insert_with(|| {
                let valid = id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                let text = valid.then(|| std::fs::read_to_string(dir.join(format!("{id}.json"))).ok()).flatten()?;
                let bank = crate::teach::quiz::parse(&text).ok()?;
                Some((bank, crate::teach::grade::bank_version(&text)))
            })
            .clone()
    };
    let (csv, all) = crate::teach::grade::grade_all(&text, &find);
    print!("{csv}");
    i32::from(!all)
}

fn replay(file: &str) -> i32 {
    if file != "-" {
        return replay_file(std::path::Path::new(file), file);
    }
    // Standard input is copied to a temporary file first, then replayed as a file is: read as
    // it goes, so memory stays what it is for the same file given by path.
    let path = std::env::temp_dir().join(format!("streamlab-stdin-{}.json", std::process::id()));
    // A new file only (a link or a file already there under that name is never written through).
    let _ = std::fs::remove_file(&path);
    let copied = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| io::copy(&mut io::stdin().lock(), &mut f));
    let code = match copied {
        Ok(_) => replay_file(&path, "standard input"),
        Err(e) => {
            eprintln!("streamlab: cannot read standard input (copying it to {}): {e}", path.display());
            1
        }
    };
    let _ = std::fs::remove_file(&path);
    code
}

/// A file is replayed as it is read (`scenario::replay_streaming`): memory stays flat however
/// many steps it has, and the output is the same as `parse` + `run`.
/// `label`: how messages name the input.
fn replay_file(path: &std::path::Path, label: &str) -> i32 {
    use crate::scenario::ReplayError;
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let open = || std::fs::File::open(path);
    // The engine is not dropped: the process ends next, and freeing a long replay's records
    // one by one takes a noticeable time.
    match crate::scenario::replay_streaming(&open, &mut out)
        .map(std::mem::forget)
        .and_then(|_| out.flush().map_err(ReplayError::Write))
    {
        Ok(()) => 0,
        Err(ReplayError::Invalid(e)) => {
            eprintln!("streamlab: {label}: {e}");
            1
        }
        Err(ReplayError::Read(e)) => {
            eprintln!("streamlab: cannot read {label}: {e}");
            1
        }
        Err(ReplayError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(ReplayError::Write(e)) => {
            eprintln!("streamlab: cannot write the output: {e}");
            1
        }
    }
}

/// `export FILE --runtime python|nodejs --out DIR` (the options in any order).
fn export(args: &[String]) -> i32 {
    let (mut file, mut runtime, mut out) = (None, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runtime" => runtime = it.next().and_then(|r| crate::export::Runtime::parse(r)),
            "--out" => out = it.next().cloned(),
            f if file.is_none() && !f.starts_with("--") => file = Some(f.to_string()),
            _ => {
                eprintln!("{USAGE}");
                return 2;
            }
        }
    }
    let (Some(file), Some(runtime), Some(out)) = (file, runtime, out) else {
        eprintln!("{USAGE}");
        return 2;
    };
    let text = match std::fs::read(&file) {
        Ok(bytes) => match crate::scenario::text_of(bytes) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("streamlab: {file}: {e}");
                return 1;
            }
        },
        Err(e) => {
            eprintln!("streamlab: cannot read {file}: {e}");
            return 1;
        }
    };
    let files = match crate::export::export(&text, runtime) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("streamlab: {file}: {e}");
            return 1;
        }
    };
    let root = std::path::Path::new(&out);
    for f in &files {
        let path = root.join(&f.path);
        let written =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|_| std::fs::write(&path, &f.text));
        if let Err(e) = written {
            eprintln!("streamlab: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    println!("wrote {} files to {out}", files.len());
    0
}
