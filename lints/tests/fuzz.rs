//! A bounded mutation fuzzer for the whole engine (issue 13). Real source files (the rule
//! fixtures and the service template's Rust files; the benchmark corpus in bench/fuzz.sh)
//! are mutated: tokens and lines deleted, duplicated and swapped, files truncated, invalid
//! UTF-8 and deeply nested expressions inserted. Each batch becomes one crate that is
//! linted with every rule on and then fixed with `--fix --unsafe-fixes` (it is a copy).
//! Nothing may panic, every file that does not parse must be reported as `parse-error`
//! (except under `tests/`, where invalid Rust is expected and not reported), and every file that parsed before the fixes must still parse after them.
//!
//! `PAVED_FUZZ_SEED` (default 13) fixes the mutations, `PAVED_FUZZ_SECONDS` (default 3)
//! bounds the time, `PAVED_FUZZ_SOURCES` (folders, `:`-separated) replaces the sources.

use paved_lints::fix::{self, FixMode};
use paved_lints::rule::Group;
use paved_lints::{Level, LevelSetting, LintOptions, Selector, lint};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// splitmix64: small, fixed, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<String> {
    let dirs: Vec<PathBuf> = match std::env::var("PAVED_FUZZ_SOURCES") {
        Ok(list) if !list.is_empty() => list.split(':').map(PathBuf::from).collect(),
        _ => {
            let here = Path::new(env!("CARGO_MANIFEST_DIR"));
            vec![here.join("tests/fixtures"), here.join("../templates")]
        }
    };
    let mut files = Vec::new();
    for dir in &dirs {
        rust_files(dir, &mut files);
    }
    files.sort();
    // Valid Rust only: the mutations are what break it (a fixture's project template is
    // not Rust until it is filled in, and is not reported when it does not parse).
    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .filter(|t| parses(t.as_bytes()))
        .collect();
    assert!(!texts.is_empty(), "no Rust sources under {dirs:?}");
    texts
}

/// Byte ranges of the tokens of `text`: words, and single other non-space characters.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() || c == '_' {
            while let Some(&(i, n)) = chars.peek() {
                if !(n.is_alphanumeric() || n == '_') {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
        }
        out.push((start, end));
    }
    out
}

/// A nested expression, block or type `depth` levels deep.
fn nested(rng: &mut Rng, depth: usize) -> String {
    let (open, close, inner) = [
        ("(", ")", "1"),
        ("[", "]", "0"),
        ("{ ", " }", "()"),
        ("Some(", ")", "x"),
        ("-", "", "1"),
        ("!", "", "true"),
        ("|| ", "", "0"),
        ("a.b(", ")", "c"),
    ][rng.below(8)];
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// One mutation of `text`; the bytes may no longer be UTF-8.
fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let toks = tokens(text);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let pick = |rng: &mut Rng| toks[rng.below(toks.len())];
    let boundary = |rng: &mut Rng| {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let splice = |at: usize, insert: &[u8]| {
        let mut out = text.as_bytes()[..at].to_vec();
        out.extend_from_slice(insert);
        out.extend_from_slice(&text.as_bytes()[at..]);
        out
    };
    match rng.below(10) {
        0 | 1 if !toks.is_empty() => {
            let (s, e) = pick(rng);
            [&text[..s], &text[e..]].concat().into_bytes()
        }
        2 if !toks.is_empty() => {
            let (s, e) = pick(rng);
            [&text[..e], " ", &text[s..e], &text[e..]]
                .concat()
                .into_bytes()
        }
        3 if toks.len() > 1 => {
            let (mut a, mut b) = (pick(rng), pick(rng));
            if a.0 > b.0 {
                std::mem::swap(&mut a, &mut b);
            }
            if a.1 > b.0 {
                return text.as_bytes().to_vec();
            }
            [
                &text[..a.0],
                &text[b.0..b.1],
                &text[a.1..b.0],
                &text[a.0..a.1],
                &text[b.1..],
            ]
            .concat()
            .into_bytes()
        }
        4 if !lines.is_empty() => {
            let mut l = lines.clone();
            match rng.below(3) {
                0 => {
                    l.remove(rng.below(l.len()));
                }
                1 => {
                    let i = rng.below(l.len());
                    l.insert(i, lines[i]);
                }
                _ => {
                    let (i, j) = (rng.below(l.len()), rng.below(l.len()));
                    l.swap(i, j);
                }
            }
            l.concat().into_bytes()
        }
        5 => text.as_bytes()[..boundary(rng)].to_vec(),
        6 => {
            let bad: &[&[u8]] = &[b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\x00\xfe"];
            splice(boundary(rng), bad[rng.below(bad.len())])
        }
        7 => {
            let depth = 64 << rng.below(6);
            let expr = nested(rng, depth);
            splice(boundary(rng), expr.as_bytes())
        }
        8 => {
            let depth = 64 << rng.below(6);
            let item = format!("\nfn deep() {{\n    let _ = {};\n}}\n", nested(rng, depth));
            splice(text.len(), item.as_bytes())
        }
        _ => {
            // Several small mutations at once.
            let mut t = text.to_string();
            for _ in 0..3 {
                t = String::from_utf8_lossy(&mutate(rng, &t)).into_owned();
            }
            t.into_bytes()
        }
    }
}

const MANIFEST: &str = "[package]\nname = \"fuzzed\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\naxum = \"0.8\"\ntokio = \"1\"\nserde = \"1\"\n\n[dev-dependencies]\ntower = \"0.5\"\n";

/// Every rule on, at warn (the default levels leave some off).
fn every_rule() -> Vec<LevelSetting> {
    Group::ALL
        .iter()
        .map(|&g| LevelSetting {
            selector: Selector::Group(g),
            level: Level::Warn,
        })
        .collect()
}

/// Whether the bytes parse, on a thread with the stack the engine's analysis has.
fn parses(bytes: &[u8]) -> bool {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn_scoped(s, || {
                std::str::from_utf8(bytes).is_ok_and(|t| syn::parse_file(t).is_ok())
            })
            .unwrap()
            .join()
            .unwrap()
    })
}

/// Lints and fixes one crate of mutated files; returns how many did not parse.
fn check_batch(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> usize {
    let options = LintOptions {
        paths: vec![root.to_path_buf()],
        cli_levels: every_rule(),
        ..LintOptions::default()
    };
    let report = lint(&options).expect("the run itself must not fail");
    let mut broken = 0;
    let mut parsed_before = Vec::new();
    for (path, bytes) in files {
        let reported = report
            .diagnostics
            .iter()
            .any(|d| d.rule == "parse-error" && d.path == *path);
        let ok = parses(bytes);
        // Test code may be invalid on purpose (compile-fail cases): never reported there.
        let is_test = path
            .strip_prefix(root)
            .is_ok_and(|r| r.starts_with("tests"));
        assert_eq!(
            !ok && !is_test,
            reported,
            "{}: parses: {ok}, reported as parse-error: {reported}\n{}",
            path.display(),
            String::from_utf8_lossy(bytes)
        );
        broken += usize::from(!ok);
        if ok {
            parsed_before.push(path);
        }
    }
    let mode = FixMode { unsafe_fixes: true };
    fix::fix(&options, report, mode).expect("fixing must not fail");
    for path in parsed_before {
        let after = fs::read(path).unwrap();
        assert!(
            parses(&after),
            "{} no longer parses after --fix",
            path.display()
        );
    }
    broken
}

#[test]
fn mutated_sources_never_take_the_engine_down() {
    let env = |key: &str, default: u64| {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let seed = env("PAVED_FUZZ_SEED", 13);
    let budget = Duration::from_secs(env("PAVED_FUZZ_SECONDS", 3));
    let texts = sources();
    let mut rng = Rng(seed);
    let started = Instant::now();
    let (mut mutated, mut broken, mut batches) = (0, 0, 0);
    while started.elapsed() < budget {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("fuzzed");
        fs::create_dir_all(root.join("src")).unwrap();
        fs::create_dir_all(root.join("tests")).unwrap();
        fs::write(root.join("Cargo.toml"), MANIFEST).unwrap();
        let mut files = Vec::new();
        for i in 0..16 {
            let text = &texts[rng.below(texts.len())];
            let bytes = mutate(&mut rng, text);
            let rel = match i {
                0 => "src/main.rs".to_string(),
                1 => "tests/api.rs".to_string(),
                _ => format!("src/m{i}.rs"),
            };
            let path = root.join(rel);
            fs::write(&path, &bytes).unwrap();
            files.push((path, bytes));
        }
        // On a thread with the stack of a program's main thread (8 MiB), as in `paved`.
        broken += std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, || check_batch(&root, &files))
                .unwrap()
                .join()
                .unwrap()
        });
        mutated += files.len();
        batches += 1;
    }
    eprintln!(
        "fuzz: seed {seed}, {mutated} mutated files in {batches} crates, {broken} unparsable, {:.1} minutes",
        started.elapsed().as_secs_f64() / 60.0
    );
    assert!(mutated > 0);
}
