//! The native command line: `streamlab replay FILE`.

use std::io::{self, Write};

const USAGE: &str = "usage: streamlab replay FILE   replay a scenario file (or - for standard input) and print what happened as JSON

A scenario is a JSON file of DynamoDB, DynamoDB Streams and Lambda steps; see README.md.
Exit status: 0 when the scenario ran (failing steps are reported in its output),
1 when the file is not a valid scenario, 2 on a usage error.";

/// Runs the command line; returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    match args {
        [cmd, file] if cmd == "replay" => replay(file),
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

fn replay(file: &str) -> i32 {
    let text = if file == "-" {
        let mut s = String::new();
        match io::Read::read_to_string(&mut io::stdin(), &mut s) {
            Ok(_) => s,
            Err(e) => {
                eprintln!("streamlab: cannot read standard input: {e}");
                return 1;
            }
        }
    } else {
        match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("streamlab: cannot read {file}: {e}");
                return 1;
            }
        }
    };
    let scenario = match crate::scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("streamlab: {file}: {e}");
            return 1;
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match crate::scenario::run(&scenario, &mut out).and_then(|_| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("streamlab: cannot write the output: {e}");
            1
        }
    }
}
