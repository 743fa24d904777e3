//! The layout rules of README.md "Architecture", checked on the source: each layer imports only
//! from the layers below it, no two files import each other (directly or round a cycle), and
//! the README's map names the same layers, in the same order, as the folders of `src/`.
//!
//! Imports are read from the text: every `use` tree and every `crate::...` path outside test
//! modules, resolved to the file of the longest module prefix it names. A `mod` declaration is
//! not an import, nor is a `pub(in crate::...)` visibility.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, bottom first. `web` and `cli` are both on top and may not import each other.
const LAYERS: &[&str] = &["support", "model", "lang", "sim", "scenario", "export", "teach", "web", "cli"];

fn rank(layer: &str) -> Option<usize> {
    match layer {
        "web" | "cli" => Some(7),
        other => LAYERS.iter().position(|l| *l == other),
    }
}

struct Source {
    /// Module path: `src/sim/engine/api/mod.rs` is `["sim", "engine", "api"]`.
    module: Vec<String>,
    text: String,
}

fn sources() -> BTreeMap<String, Source> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src/ is readable") {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(String::from).collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
            module.pop();
        }
        let text = std::fs::read_to_string(&f).unwrap();
        out.insert(rel, Source { module, text });
    }
    out
}

/// The text without comments, string literals, test modules and `pub(in ...)` visibilities.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(") && t.contains("test") && lines.peek().is_some_and(|n| n.contains("mod tests")) {
            break; // test modules come last in every file here
        }
        let no_comment = match t.find("//") {
            Some(i) if !t[..i].contains('"') => &t[..i],
            _ => t,
        };
        out.push_str(no_comment);
        out.push('\n');
    }
    // Drop string literals (a message may mention `crate::` or `use `).
    let mut plain = String::with_capacity(out.len());
    let mut in_str = false;
    let mut esc = false;
    for c in out.chars() {
        if in_str {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
        } else {
            plain.push(c);
        }
    }
    let mut s = plain;
    while let Some(i) = s.find("pub(in ") {
        let j = s[i..].find(')').map_or(s.len(), |k| i + k + 1);
        s.replace_range(i..j, "pub");
    }
    s
}

/// The paths of a `use` tree: `a::{b, c::{d, e}}` is `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<Vec<String>> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or("");
        return vec![path.split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()];
    };
    let prefix: Vec<String> =
        tree[..open].split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(|q| prefix.iter().cloned().chain(q).collect()))
        .collect()
}

/// File → the files it imports.
fn imports(files: &BTreeMap<String, Source>) -> BTreeMap<String, BTreeSet<String>> {
    let by_module: BTreeMap<Vec<String>, String> = files.iter().map(|(f, s)| (s.module.clone(), f.clone())).collect();
    let resolve =
        |path: &[String]| -> Option<String> { (1..=path.len()).rev().find_map(|n| by_module.get(&path[..n]).cloned()) };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (f, src) in files {
        let me = &src.module;
        let text = code(&src.text);
        let mut targets = BTreeSet::new();
        // `use` statements (the first word of a statement, after an optional visibility).
        let mut rest = text.as_str();
        while let Some(i) = rest.find("use ") {
            let before = rest[..i].trim_end();
            let starts = before.is_empty() || before.ends_with([';', '{', '}', ']']) || before.ends_with("pub");
            let end = rest[i..].find(';').map_or(rest.len(), |j| i + j);
            if starts && rest[..i].chars().last().is_none_or(|c| !c.is_alphanumeric() && c != '_') {
                for mut path in expand(&rest[i + 4..end]) {
                    path.retain(|s| s != "*" && s != "self");
                    let Some(first) = path.first().cloned() else { continue };
                    let mut base: Vec<String> = match first.as_str() {
                        "crate" => Vec::new(),
                        "super" => me[..me.len().saturating_sub(1)].to_vec(),
                        "self" => me.clone(),
                        _ => {
                            let mut child = me.clone();
                            child.push(first.clone());
                            if !by_module.contains_key(&child) {
                                continue; // another crate
                            }
                            path.insert(0, "self".into());
                            me.clone()
                        }
                    };
                    let mut p = &path[1..];
                    while p.first().is_some_and(|s| s == "super") {
                        base.pop();
                        p = &p[1..];
                    }
                    base.extend(p.iter().cloned());
                    if let Some(t) = resolve(&base) {
                        targets.insert(t);
                    }
                }
            }
            rest = &rest[end.min(rest.len())..];
            if rest.is_empty() {
                break;
            }
            rest = &rest[1..];
        }
        // `crate::a::b` paths anywhere.
        let mut rest = text.as_str();
        while let Some(i) = rest.find("crate::") {
            let tail = &rest[i + 7..];
            let len = tail.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(tail.len());
            let path: Vec<String> = tail[..len].split("::").filter(|s| !s.is_empty()).map(String::from).collect();
            if let Some(t) = resolve(&path) {
                targets.insert(t);
            }
            rest = &tail[len..];
        }
        targets.remove(f);
        edges.insert(f.clone(), targets);
    }
    edges
}

fn layer(src: &Source) -> Option<&str> {
    src.module.first().map(String::as_str)
}

/// Imports against the layer order: "a imports b".
fn against_the_order(files: &BTreeMap<String, Source>, edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (f, targets) in edges {
        let Some(from) = layer(&files[f]).and_then(rank) else { continue };
        for t in targets {
            let Some(to_layer) = layer(&files[t]) else { continue };
            let Some(to) = rank(to_layer) else {
                wrong.push(format!("{f} imports {t}, which is in no layer"));
                continue;
            };
            let other_top = from == 7 && to == 7 && layer(&files[f]) != layer(&files[t]);
            if to > from || other_top {
                wrong.push(format!("{f} imports {t}"));
            }
        }
    }
    wrong
}

#[test]
fn each_layer_imports_only_from_the_layers_below_it() {
    let files = sources();
    let wrong = against_the_order(&files, &imports(&files));
    assert!(wrong.is_empty(), "imports against the layer order {LAYERS:?}:\n{}", wrong.join("\n"));
    // Every folder and file of src/ is in a layer (or is the crate root).
    for (f, s) in &files {
        let ok = s.module.is_empty() || layer(s).and_then(rank).is_some();
        assert!(ok, "src/{f} is in no layer of {LAYERS:?}");
    }
}

/// Groups of files that import each other, directly or round a cycle (Tarjan's algorithm).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        cycles: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.cycles.push(comp);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        cycles: Vec::new(),
    };
    for f in edges.keys() {
        if !t.index.contains_key(f.as_str()) {
            visit(&mut t, f);
        }
    }
    t.cycles.into_iter().map(|c| c.into_iter().map(String::from).collect()).collect()
}

#[test]
fn no_import_cycles_between_files() {
    let files = sources();
    let found = cycles(&imports(&files));
    assert!(found.is_empty(), "files that import each other: {found:?}");
}

/// The check itself: a cycle and an upward import in a made-up crate are found.
#[test]
fn the_checks_find_cycles_and_upward_imports() {
    let mk = |path: &str, text: &str| {
        let mut module: Vec<String> = path.trim_end_matches(".rs").split('/').map(String::from).collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        (path.to_string(), Source { module, text: text.to_string() })
    };
    let files: BTreeMap<String, Source> = [
        mk("model/mod.rs", "mod a;\nmod b;\npub use a::A;\n"),
        mk("model/a.rs", "use super::b::B;\npub struct A;"),
        mk("model/b.rs", "use crate::model::a::{A, self};\n// use crate::sim::X;\npub struct B(&'static str);\nconst S: &str = \"use crate::sim::Y;\";"),
        mk("sim/mod.rs", "pub struct X;"),
        mk("support/mod.rs", "pub fn f() -> crate::sim::X { todo!() }"),
    ]
    .into_iter()
    .collect();
    let e = imports(&files);
    assert_eq!(e["model/mod.rs"], BTreeSet::from(["model/a.rs".to_string()]));
    assert_eq!(e["model/a.rs"], BTreeSet::from(["model/b.rs".to_string()]));
    assert_eq!(e["model/b.rs"], BTreeSet::from(["model/a.rs".to_string()]), "comments and strings are not imports");
    assert_eq!(e["support/mod.rs"], BTreeSet::from(["sim/mod.rs".to_string()]), "a path in a signature is an import");
    assert_eq!(cycles(&e), vec![vec!["model/b.rs".to_string(), "model/a.rs".to_string()]]);
    assert_eq!(against_the_order(&files, &e), vec!["support/mod.rs imports sim/mod.rs".to_string()]);
}

#[test]
fn the_readme_map_names_the_layers_in_order() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let arch = readme.split("\n## Architecture").nth(1).expect("README.md has an Architecture section");
    let arch = arch.split("\n## ").next().unwrap_or(arch);
    // The map's entries: lines that start with a layer folder, `src/<layer>/`.
    let named: Vec<&str> = arch
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.strip_prefix("src/"))
        .map(|l| l.trim_end_matches('/').trim_end_matches(".rs"))
        .filter(|l| !l.contains('/'))
        .collect();
    assert_eq!(named, LAYERS, "README's map, bottom layer first");
    for l in LAYERS {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(l);
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(format!("{l}.rs"));
        assert!(dir.is_dir() || file.is_file(), "src/{l} is in the README's map but not in src/");
    }
    assert!(
        arch.contains(&LAYERS.join(" → ")) || arch.contains(&LAYERS[..6].join(" → ")),
        "the map states the import rule as the chain of layers"
    );
}
