//! Shareable links: what a URL fragment can carry.
//!
//! - `#s=<data>`: the whole state of a lab. `<data>` is the session's scenario JSON (the same
//!   text `streamlab replay` takes), compressed with raw DEFLATE (RFC 1951) and encoded as
//!   base64url without padding (RFC 4648 §5), so it survives in a URL unescaped.
//! - `#lesson=<name>`: a lesson on the same site, `www/lessons/<name>.json`.
//! - `#quiz=<name>`: a quiz bank on the same site, `www/quizzes/<name>.json`.
//!
//! Links come from anyone, so decoding trusts nothing: names are restricted to `[a-z0-9-]`
//! (1 to 64 characters, so a crafted link cannot point at another path or site), the encoded
//! data is capped before it is decoded, decompression stops at [`MAX_SCENARIO_BYTES`] (a "zip
//! bomb" cannot freeze the page), and the decompressed text is parsed and replayed as a
//! scenario (with the session's own limits) before anything uses it. Nothing here panics.
//!
//! DEFLATE itself is the host's: natively [`pack`] and [`unpack`] (miniz_oxide); in the browser
//! the built-in `CompressionStream` and `DecompressionStream` (`web::codec`), which keeps a
//! second DEFLATE out of the page (about 15 KB of the compressed wasm). Both read and write the
//! same format, so a link made by either opens in the other. Opening a state link is therefore
//! three steps: [`decode_link`] (the fragment, checked, base64 decoded), unpacking (bounded by
//! [`MAX_SCENARIO_BYTES`], failing with [`too_big`] or [`damaged`]), and [`state_from_unpacked`].

use crate::teach::session::{LoadError, Session};
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// Largest decompressed scenario a link may carry (the session's own input limit, 2 MB).
pub const MAX_SCENARIO_BYTES: usize = crate::teach::session::MAX_INPUT_BYTES;
/// Largest encoded `s=` payload read at all. Deflate of JSON rarely gets below 1/10 of the
/// text; browsers themselves cut URLs at a few MB.
pub const MAX_ENCODED_CHARS: usize = 1024 * 1024;
/// Longest lesson or quiz name.
pub const MAX_NAME_CHARS: usize = 64;

/// What a link points at.
pub enum Target {
    /// A whole lab state, still compressed: unpack it, then [`state_from_unpacked`].
    State(Packed),
    /// A lesson file name (without `.json`), checked against `[a-z0-9-]`.
    Lesson(String),
    /// A quiz bank file name (without `.json`), checked against `[a-z0-9-]`.
    Quiz(String),
}

/// The data of an `#s=` link: a scenario text compressed with raw DEFLATE, not yet unpacked.
#[derive(Clone, PartialEq, Eq)]
pub struct Packed(pub Vec<u8>);

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::State(p) => write!(f, "State({} bytes packed)", p.0.len()),
            Target::Lesson(n) => write!(f, "Lesson({n:?})"),
            Target::Quiz(n) => write!(f, "Quiz({n:?})"),
        }
    }
}

/// Why a link cannot be opened. Its `Display` is the sentence the page shows. Text taken from
/// the link is clipped to 40 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after `#`.
    Empty,
    /// A fragment without `key=value`.
    NotALink,
    /// A fragment whose key is not `s`, `lesson` or `quiz`.
    UnknownKey(String),
    /// A lesson or quiz name outside `[a-z0-9-]{1,64}`: which ("lesson", "quiz"), and the name.
    BadName { what: &'static str, name: String },
    /// A `seed=` that is not a whole number from 0 to [`MAX_SEED`].
    BadSeed(String),
    /// An option other than `seed=` and `embed=`.
    UnknownOption(String),
    /// `seed=` on a link that is not a quiz link.
    SeedWithoutQuiz,
    /// A `step=` that is not a whole number from 1 to [`MAX_STEP`].
    BadStep(String),
    /// `step=` on a link that is not a lesson link.
    StepWithoutLesson,
    /// A `minutes=` that is not a whole number from 1 to [`MAX_MINUTES`].
    BadMinutes(String),
    /// `minutes=` on a link that is not a quiz link.
    MinutesWithoutQuiz,
    /// More encoded data than [`MAX_ENCODED_CHARS`]: how many characters.
    TooLong(usize),
    /// The data is not base64url.
    NotBase64,
    /// The data unpacks to more than [`MAX_SCENARIO_BYTES`].
    TooBig,
    /// The data is not valid DEFLATE.
    Damaged,
    /// The unpacked data is not UTF-8 text.
    NotText,
    /// The text is not a scenario the lab can open.
    Session(LoadError),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Empty => f.write_str("the link has nothing after #"),
            LinkError::NotALink => f.write_str("the link's fragment is not one of #s=..., #lesson=... or #quiz=..."),
            LinkError::UnknownKey(key) => {
                write!(f, "the link's fragment starts with an unknown key {:?}; expected s, lesson or quiz", clip(key))
            }
            LinkError::BadName { what, name } => write!(
                f,
                "a {what} name in a link must be 1 to {MAX_NAME_CHARS} characters of a-z, 0-9 and -, not {:?}",
                clip(name)
            ),
            LinkError::BadSeed(v) => {
                write!(f, "a quiz seed in a link must be a whole number from 0 to {MAX_SEED}, not {:?}", clip(v))
            }
            LinkError::UnknownOption(part) => {
                write!(
                    f,
                    "the link has an unknown option {:?}; links take seed=N, minutes=N, step=N and embed=1",
                    clip(part)
                )
            }
            LinkError::SeedWithoutQuiz => f.write_str("seed= only goes with a quiz link (#quiz=NAME&seed=N)"),
            LinkError::BadStep(v) => {
                write!(f, "a lesson step in a link must be a whole number from 1 to {MAX_STEP}, not {:?}", clip(v))
            }
            LinkError::StepWithoutLesson => f.write_str("step= only goes with a lesson link (#lesson=NAME&step=N)"),
            LinkError::BadMinutes(v) => {
                write!(f, "an exam's time limit in a link must be a whole number of minutes from 1 to {MAX_MINUTES}, not {:?}", clip(v))
            }
            LinkError::MinutesWithoutQuiz => f.write_str("minutes= only goes with a quiz link (#quiz=NAME&minutes=N)"),
            LinkError::TooLong(n) => {
                write!(f, "the link carries {n} characters of data; StreamLab reads at most {MAX_ENCODED_CHARS}")
            }
            LinkError::NotBase64 => {
                f.write_str("the link's data is damaged (it is not base64url); it may have been cut short when copied")
            }
            LinkError::TooBig => {
                write!(f, "the link's data unpacks to more than {MAX_SCENARIO_BYTES} bytes; StreamLab refuses it")
            }
            LinkError::Damaged => f.write_str(
                "the link's data is damaged (it does not decompress); it may have been cut short when copied",
            ),
            LinkError::NotText => f.write_str("the link's data is not text"),
            LinkError::Session(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// The lab state an `#s=` link carries, from its unpacked bytes: checked as text, parsed and
/// replayed as a scenario. Also the text (the scenario as the link has it, failing steps
/// included, so that the import can report them).
pub fn state_from_unpacked(bytes: Vec<u8>) -> Result<(Session, String), LinkError> {
    let text = String::from_utf8(bytes).map_err(|_| LinkError::NotText)?;
    Ok((Session::from_scenario_text(&text).map_err(LinkError::Session)?, text))
}

/// The fragment (without `#`) of a state link, from the packed scenario text: `s=<data>`.
pub fn state_fragment(packed: &[u8]) -> String {
    format!("s={}", URL_SAFE_NO_PAD.encode(packed))
}

/// Raw DEFLATE of a scenario text (natively; the page uses the browser's, `web::codec`).
#[cfg(not(target_arch = "wasm32"))]
pub fn pack(text: &str) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9)
}

/// Inflates a link's data, stopping past [`MAX_SCENARIO_BYTES`] (natively; the page uses the
/// browser's, `web::codec`).
#[cfg(not(target_arch = "wasm32"))]
pub fn unpack(packed: &Packed) -> Result<Vec<u8>, LinkError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed.0, MAX_SCENARIO_BYTES).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooBig,
        _ => LinkError::Damaged,
    })
}

/// The fragment (without `#`) that carries the session's whole state: `s=<data>`.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode_state(session: &Session) -> String {
    state_fragment(&pack(&session.to_scenario_json().to_string()))
}

/// DEFLATE + base64url of a scenario text (the `<data>` of `s=<data>`).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode_scenario_text(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(pack(text))
}

/// Unpacks and opens a state link's data (natively; the page does the same in three steps).
#[cfg(not(target_arch = "wasm32"))]
pub fn open_state(packed: &Packed) -> Result<Session, LinkError> {
    unpack(packed).and_then(state_from_unpacked).map(|(session, _)| session)
}

/// True for a lesson or quiz name a link may carry: 1–64 characters of `[a-z0-9-]`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_CHARS
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The fragment of a lesson link, `lesson=<name>`; None for a name a link may not carry.
pub fn lesson_fragment(name: &str) -> Option<String> {
    valid_name(name).then(|| format!("lesson={name}"))
}

/// The fragment of a quiz link, `quiz=<name>`; None for a name a link may not carry.
pub fn quiz_fragment(name: &str) -> Option<String> {
    valid_name(name).then(|| format!("quiz={name}"))
}

/// Decodes a URL fragment (with or without the leading `#`).
pub fn decode_fragment(fragment: &str) -> Result<Target, LinkError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    let Some((key, value)) = f.split_once('=') else {
        return Err(if f.is_empty() { LinkError::Empty } else { LinkError::NotALink });
    };
    match key {
        "s" => decode_data(value).map(Target::State),
        "lesson" => name(value, "lesson").map(Target::Lesson),
        "quiz" => name(value, "quiz").map(Target::Quiz),
        _ => Err(LinkError::UnknownKey(clip(key))),
    }
}

/// Options a link may carry after its target, separated by `&`: `#quiz=filters&seed=42`,
/// `#lesson=retries&embed=1`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkOptions {
    /// `seed=N` (a quiz link only): the quiz seed, so everyone opening the link gets the same
    /// questions.
    pub seed: Option<u64>,
    /// `embed=1`: the page is shown inside another page (no header chrome).
    pub embed: bool,
    /// `step=N` (a lesson link only): the step to open, counted from 1; past the last step,
    /// the playground.
    pub step: Option<u32>,
    /// `minutes=N` (a quiz link only): the exam's time limit, from when it is started.
    pub minutes: Option<u32>,
}

/// Longest exam time limit a link may set, in minutes (a day).
pub const MAX_MINUTES: u32 = 1_440;

/// Largest lesson step a link may name (lessons have a handful).
pub const MAX_STEP: u32 = 1_000;

/// Largest quiz seed a link may carry (the seed is shown to learners: keep it short).
pub const MAX_SEED: u64 = 1_000_000_000_000;

/// Splits the options off a fragment (with or without `#`): `("quiz=x", {seed: 5})` for
/// `#quiz=x&seed=5`. The target part is returned unchecked (give it to [`decode_fragment`]).
/// An unknown or malformed option is an error, so a mistyped link says so.
pub fn split_options(fragment: &str) -> Result<(&str, LinkOptions), LinkError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    let mut parts = f.split('&');
    let target = parts.next().unwrap_or("");
    let mut opts = LinkOptions::default();
    for part in parts {
        match part.split_once('=') {
            Some(("seed", v)) => {
                let seed = v
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s <= MAX_SEED && !v.starts_with('+'))
                    .ok_or_else(|| LinkError::BadSeed(clip(v)))?;
                opts.seed = Some(seed);
            }
            Some(("step", v)) => {
                let step = v
                    .parse::<u32>()
                    .ok()
                    .filter(|s| (1..=MAX_STEP).contains(s) && !v.starts_with('+'))
                    .ok_or_else(|| LinkError::BadStep(clip(v)))?;
                opts.step = Some(step);
            }
            Some(("minutes", v)) => {
                let m = v
                    .parse::<u32>()
                    .ok()
                    .filter(|m| (1..=MAX_MINUTES).contains(m) && !v.starts_with('+'))
                    .ok_or_else(|| LinkError::BadMinutes(clip(v)))?;
                opts.minutes = Some(m);
            }
            Some(("embed", "1")) => opts.embed = true,
            Some(("embed", "0")) => opts.embed = false,
            _ => return Err(LinkError::UnknownOption(clip(part))),
        }
    }
    Ok((target, opts))
}

/// Decodes a whole link fragment: its target ([`decode_fragment`]) and its options
/// ([`split_options`]). `seed=` is only accepted on a quiz link.
pub fn decode_link(fragment: &str) -> Result<(Target, LinkOptions), LinkError> {
    let (target, opts) = split_options(fragment)?;
    let t = decode_fragment(target)?;
    if opts.seed.is_some() && !matches!(t, Target::Quiz(_)) {
        return Err(LinkError::SeedWithoutQuiz);
    }
    if opts.step.is_some() && !matches!(t, Target::Lesson(_)) {
        return Err(LinkError::StepWithoutLesson);
    }
    if opts.minutes.is_some() && !matches!(t, Target::Quiz(_)) {
        return Err(LinkError::MinutesWithoutQuiz);
    }
    Ok((t, opts))
}

/// The fragment of a lesson at a step (counted from 1), `lesson=<name>&step=<n>`, with
/// `&embed=1` when embedded.
pub fn lesson_step_fragment(name: &str, step: u32, embed: bool) -> Option<String> {
    (valid_name(name) && (1..=MAX_STEP).contains(&step))
        .then(|| format!("lesson={name}&step={step}{}", if embed { "&embed=1" } else { "" }))
}

/// The fragment of a quiz link with a fixed seed, `quiz=<name>&seed=<n>`.
pub fn quiz_fragment_with_seed(name: &str, seed: u64) -> Option<String> {
    (valid_name(name) && seed <= MAX_SEED).then(|| format!("quiz={name}&seed={seed}"))
}

/// True when a page's query string (`location.search`, with or without `?`) asks for embed
/// mode: `?embed=1`.
pub fn embed_query(search: &str) -> bool {
    search.strip_prefix('?').unwrap_or(search).split('&').any(|p| p == "embed=1")
}

fn name(value: &str, what: &'static str) -> Result<String, LinkError> {
    if valid_name(value) {
        Ok(value.to_string())
    } else {
        Err(LinkError::BadName { what, name: clip(value) })
    }
}

/// The first 40 characters of untrusted text, for messages.
fn clip(s: &str) -> String {
    crate::support::text::clip(s, 40)
}

/// base64url → the packed bytes of an `s=` link, not yet unpacked.
fn decode_data(data: &str) -> Result<Packed, LinkError> {
    if data.len() > MAX_ENCODED_CHARS {
        return Err(LinkError::TooLong(data.len()));
    }
    let data = data.trim_end_matches('=');
    URL_SAFE_NO_PAD.decode(data).or_else(|_| URL_SAFE.decode(data)).map(Packed).map_err(|_| LinkError::NotBase64)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest and miniz_oxide are native-only
mod tests {
    use super::*;
    use crate::sim::Operation;
    use crate::teach::lab;
    use serde_json::json;

    /// Decodes a state link's fragment, unpacks and opens it (the page's three steps).
    fn open_session(fragment: &str) -> Result<Session, LinkError> {
        match decode_fragment(fragment)? {
            Target::State(packed) => open_state(&packed),
            other => panic!("not a state link: {other:?}"),
        }
    }

    fn open_error(fragment: &str) -> String {
        open_session(fragment).err().expect("the link opened").to_string()
    }

    #[test]
    fn state_round_trips_through_a_link() {
        let mut s = lab::starter_session();
        s.apply(
            Operation::PutItem,
            &json!({"TableName": "Votes", "Item": {"voter": {"S": "ana"}, "choice": {"S": "tea"}}}),
        )
        .unwrap();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 2})).unwrap();
        let frag = encode_state(&s);
        assert!(frag.starts_with("s="));
        assert!(frag[2..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{frag}");
        let back = open_session(&format!("#{frag}")).unwrap();
        assert_eq!(back.to_scenario_json(), s.to_scenario_json());
        assert_eq!(back.engine().streams_output(), s.engine().streams_output());
    }

    #[test]
    fn lesson_and_quiz_names() {
        assert!(matches!(decode_fragment("#lesson=view-types").unwrap(), Target::Lesson(n) if n == "view-types"));
        assert!(matches!(decode_fragment("quiz=filters2").unwrap(), Target::Quiz(n) if n == "filters2"));
        assert_eq!(lesson_fragment("views").as_deref(), Some("lesson=views"));
        assert_eq!(quiz_fragment("../x"), None);
        for bad in [
            "#lesson=../secret",
            "#lesson=https://evil.example/x",
            "#quiz=",
            "#quiz=A",
            "#lesson=a/b",
            "#quiz=a%2fb",
            "#lesson=a.json",
        ] {
            let e = decode_fragment(bad).unwrap_err().to_string();
            assert!(e.contains("a-z, 0-9 and -"), "{bad}: {e}");
        }
        let long = format!("#lesson={}", "a".repeat(65));
        assert!(decode_fragment(&long).is_err());
        assert!(decode_fragment("#other=1").unwrap_err().to_string().contains("unknown key"));
        assert!(decode_fragment("").unwrap_err().to_string().contains("nothing"));
        assert!(decode_fragment("#hello").unwrap_err().to_string().contains("not one of"));
    }

    #[test]
    fn damaged_and_hostile_data_is_refused() {
        assert!(decode_fragment("#s=***").unwrap_err().to_string().contains("base64url"));
        assert!(open_error("#s=AAAA").contains("damaged"));
        // Valid deflate of something that is not a scenario.
        let e = open_error(&format!("#s={}", encode_scenario_text("{\"steps\": 3}")));
        assert!(e.contains("steps"), "{e}");
        let e = open_error(&format!("#s={}", encode_scenario_text("not json")));
        assert!(e.contains("not valid JSON"), "{e}");
        // A zip bomb: 50 MB of spaces packs into a few kB but must not be unpacked in full.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 50 * 1024 * 1024], 9);
        assert!(bomb.len() < 200_000);
        let e = open_error(&format!("#s={}", URL_SAFE_NO_PAD.encode(bomb)));
        assert!(e.contains("more than"), "{e}");
        let huge = format!("#s={}", "A".repeat(MAX_ENCODED_CHARS + 1));
        assert!(decode_fragment(&huge).unwrap_err().to_string().contains("at most"));
        // Padding is tolerated.
        let padded = format!("#s={}==", encode_scenario_text("{\"steps\": []}"));
        assert!(open_session(&padded).is_ok());
    }

    #[test]
    fn link_options() {
        let (t, o) = decode_link("#quiz=filters&seed=42").unwrap();
        assert!(matches!(t, Target::Quiz(n) if n == "filters"));
        assert_eq!(o, LinkOptions { seed: Some(42), embed: false, step: None, minutes: None });
        let (t, o) = decode_link("lesson=retries&embed=1").unwrap();
        assert!(matches!(t, Target::Lesson(n) if n == "retries"));
        assert!(o.embed && o.seed.is_none());
        assert!(matches!(
            decode_link("#quiz=a&embed=1&seed=0").unwrap(),
            (Target::Quiz(_), LinkOptions { seed: Some(0), embed: true, step: None, minutes: None })
        ));
        assert_eq!(quiz_fragment_with_seed("filters", 7).as_deref(), Some("quiz=filters&seed=7"));
        assert_eq!(quiz_fragment_with_seed("../x", 7), None);
        // Round trip of a state link with embed.
        let s = lab::starter_session();
        let (t, o) = decode_link(&format!("#{}&embed=1", encode_state(&s))).unwrap();
        assert!(matches!(t, Target::State(_)) && o.embed);
        for bad in [
            "#quiz=a&seed=-1",
            "#quiz=a&seed=x",
            "#quiz=a&seed=+3",
            "#quiz=a&seed=99999999999999999999",
            "#quiz=a&seed=1000000000001",
        ] {
            assert!(decode_link(bad).unwrap_err().to_string().contains("whole number"), "{bad}");
        }
        assert!(decode_link("#quiz=a&colour=red").unwrap_err().to_string().contains("unknown option"));
        assert!(decode_link("#quiz=a&<img src=x>").unwrap_err().to_string().contains("unknown option"));
        assert!(decode_link("#lesson=a&seed=3").unwrap_err().to_string().contains("only goes with a quiz"));
        // A lesson link may name its step (from 1); the page writes it as the learner moves on.
        let (t, o) = decode_link("#lesson=retries&step=3&embed=1").unwrap();
        assert!(matches!(t, Target::Lesson(n) if n == "retries") && o.step == Some(3) && o.embed);
        for bad in ["#lesson=a&step=0", "#lesson=a&step=x", "#lesson=a&step=+2", "#lesson=a&step=1001"] {
            assert!(decode_link(bad).unwrap_err().to_string().contains("from 1 to 1000"), "{bad}");
        }
        assert!(decode_link("#quiz=a&step=2").unwrap_err().to_string().contains("only goes with a lesson"));
        assert_eq!(lesson_step_fragment("retries", 2, false).as_deref(), Some("lesson=retries&step=2"));
        assert_eq!(lesson_step_fragment("retries", 2, true).as_deref(), Some("lesson=retries&step=2&embed=1"));
        assert_eq!(lesson_step_fragment("../x", 2, false), None);
        // An exam's time limit, on a quiz link only.
        let (_, o) = decode_link("#quiz=basics&seed=4&minutes=20").unwrap();
        assert_eq!((o.seed, o.minutes), (Some(4), Some(20)));
        for bad in ["#quiz=a&minutes=0", "#quiz=a&minutes=1441", "#quiz=a&minutes=x"] {
            assert!(decode_link(bad).unwrap_err().to_string().contains("time limit"), "{bad}");
        }
        assert!(decode_link("#lesson=a&minutes=5").unwrap_err().to_string().contains("only goes with a quiz"));
        assert!(decode_link("#lesson=<img src=x onerror=alert(1)>")
            .unwrap_err()
            .to_string()
            .contains("a-z, 0-9 and -"));
        assert!(embed_query("?embed=1") && embed_query("a=2&embed=1") && !embed_query("?embed=0") && !embed_query(""));
    }
}
