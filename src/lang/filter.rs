//! Lambda event filtering for DynamoDB stream event source mappings (spec §5).
//!
//! A mapping's `FilterCriteria` holds up to 5 filters, each a JSON pattern in EventBridge
//! syntax. A record is delivered when any filter matches it (filters are OR'ed) and dropped
//! otherwise. Patterns are matched against the record as Lambda delivers it (§1.2): top-level
//! metadata (`eventName`, `userIdentity`, ...) and `dynamodb`, whose images keep their typed
//! AttributeValue wrappers (`{"S": "x"}`, numbers as strings in `{"N": "42"}`).
//!
//! Supported operators (spec "Decisions" table): exact value (string, number, boolean),
//! `null`, empty string, `$or`, `anything-but` (single value or list), `numeric`, `exists`,
//! `prefix`, `suffix`, `equals-ignore-case`, plus `prefix`/`suffix` with an
//! `{"equals-ignore-case": ...}` argument (§5.3 row "probably (Pipes Yes)").
//! Rejected as unsupported: `wildcard`, and `anything-but` with `prefix`, `suffix`,
//! `equals-ignore-case` or `wildcard`.
//!
//! Matching rules:
//! - Fields of one pattern object are AND'ed; the values listed for a field are OR'ed.
//! - Every condition except `{"exists": false}` needs a *leaf* (string, number, boolean or
//!   null) at its path. A path ending at an object, a missing path, or an array with no leaf
//!   elements counts as "no leaf" (§5.3, validated quirk).
//! - When the record holds an array at a leaf path (`SS`, `NS`, a list of scalars), the
//!   condition matches if any element matches; nested arrays are flattened. When it holds
//!   an array where the pattern has a nested object (`L` of wrappers), the nested pattern
//!   matches if it matches any one element as a whole.
//! - Equality is typed: a pattern string only equals a record string, a pattern number only a
//!   JSON number, `true` only `true`, `null` only `null`. Numbers are equal when written the
//!   same way (§5.3): `300`, `300.0` and `3.0e2` are three different values. Record numbers are
//!   always written as serde_json writes them (`1767225600.0`, `48`); a pattern literal written
//!   otherwise (`3.0e2`) is kept as written (see [`RAW_NUMBER`]) and equals none of them.
//! - `numeric` only applies to JSON numbers, so it never matches DynamoDB `N` values (which
//!   are strings) but works on `ApproximateCreationDateTime` and `SizeBytes`. Comparison is
//!   in `f64`.
//! - `anything-but` matches a leaf that equals none of the listed values (typed equality as
//!   above), so `{"anything-but": "x"}` also matches a number or boolean leaf. It never
//!   matches a missing field.
//! - Duplicate keys in a pattern: the last one wins (serde_json keeps the last value).
//!
//! Matching never panics, and its cost is bounded by (pattern size × record size): pattern
//! nesting is capped at [`MAX_PATTERN_DEPTH`] and record arrays are flattened with an explicit
//! stack up to the same depth.

use crate::model::{AwsError, ErrorKind};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Filters per mapping (the default quota; AWS can raise it to 10 on request).
pub const MAX_FILTERS: usize = 5;
/// Maximum length of one `Pattern` string (Lambda API model, `Filter.Pattern`).
pub const MAX_PATTERN_CHARS: usize = 4096;
/// Maximum nesting of objects in a pattern (counting the top-level object as 1), and the
/// depth to which nested arrays in a record are flattened.
pub const MAX_PATTERN_DEPTH: usize = 32;

/// Observed AWS message for a pattern that is not JSON or not a valid pattern (spec §4.1, §5.1).
const INVALID_PATTERN: &str = "Invalid filter pattern definition.";

/// The parsed `FilterCriteria` of an event source mapping.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilterCriteria {
    filters: Vec<Filter>,
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    /// The `Pattern` string exactly as given, echoed back by [`FilterCriteria::to_json`].
    source: String,
    pattern: Node,
}

/// One pattern object: every field must match, and so must one alternative of `$or`.
#[derive(Debug, Clone, PartialEq, Default)]
struct Node {
    fields: Vec<(String, Rule)>,
    or: Option<Vec<Node>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Rule {
    /// `"field": { ... }`
    Nested(Node),
    /// `"field": [matcher, ...]` (OR'ed)
    Leaf(Vec<Matcher>),
}

#[derive(Debug, Clone, PartialEq)]
enum Matcher {
    /// A scalar: string, number, boolean or null, or a [`RAW_NUMBER`] marker.
    Equals(Value),
    /// Non-empty list of strings, or of numbers (some perhaps [`RAW_NUMBER`] markers).
    AnythingBut(Vec<Value>),
    /// One `=`, or one or two bounds (one lower, one upper).
    Numeric(Vec<(Cmp, f64)>),
    Exists(bool),
    /// `value` is already lower-cased when `ignore_case`.
    Prefix {
        value: String,
        ignore_case: bool,
    },
    Suffix {
        value: String,
        ignore_case: bool,
    },
    /// Lower-cased.
    EqualsIgnoreCase(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Why a pattern was refused. Both map to the same AWS message (see [`FilterCriteria::parse`]);
/// they are kept apart so the message for unsupported operators is easy to change once the
/// real wording is known.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PatternError {
    Invalid,
    Unsupported,
}

type PResult<T> = Result<T, PatternError>;

fn invalid_pattern() -> AwsError {
    AwsError::invalid_parameter(INVALID_PATTERN)
}

impl FilterCriteria {
    /// Parses `FilterCriteria` as the Lambda API takes it: {"Filters": [{"Pattern": "<JSON string>"}, ...]}.
    /// `{}` or `{"Filters": []}` means no filtering. Errors are (error type, message) as Lambda
    /// returns them:
    ///
    /// - a `Pattern` longer than 4096 characters: `ValidationException`
    ///   "1 validation error detected: Value '<pattern>' at 'filterCriteria.filters.<n>.member.pattern'
    ///   failed to satisfy constraint: Member must have length less than or equal to 4096".
    ///   Source: the length constraint is from the Lambda API reference (`Filter.Pattern`:
    ///   "Maximum length of 4096"); the wording is AWS's standard model-validation message
    ///   (as in spec §4.1 for `startingPosition`), with violations counted and joined by "; ".
    ///   The exact member path (`filterCriteria.filters.1.member.pattern`, 1-based) follows the
    ///   usual AWS convention for list members but was NOT confirmed against a real response.
    ///   Model validation runs before the checks below.
    /// - more than 5 filters: `InvalidParameterValueException` with a message of our own
    ///   wording. AWS documents only that "Lambda will return an error" (Lambda Developer
    ///   Guide, "Control which events Lambda sends to your function"); no real message could
    ///   be found, so this one is NOT AWS's text.
    /// - invalid JSON, a pattern that is not a JSON object, or any invalid pattern:
    ///   `InvalidParameterValueException` "Invalid filter pattern definition." (observed, §5.1).
    /// - unsupported operators (`wildcard`, `anything-but` with `prefix`/`suffix`/
    ///   `equals-ignore-case`/`wildcard`): the same "Invalid filter pattern definition." (no
    ///   distinct real message was found).
    ///
    /// `null` (no criteria), a missing or `null` `Filters` also mean no filtering. A
    /// `FilterCriteria` or `Filters` of the wrong JSON type, a filter that is not an object, or a
    /// filter without a string `Pattern` is reported as "Invalid filter pattern definition.".
    pub fn parse(v: &Value) -> Result<FilterCriteria, AwsError> {
        let obj = match v {
            Value::Null => return Ok(FilterCriteria::default()),
            Value::Object(o) => o,
            _ => return Err(invalid_pattern()),
        };
        let filters = match obj.get("Filters") {
            None | Some(Value::Null) => return Ok(FilterCriteria::default()),
            Some(Value::Array(a)) => a,
            Some(_) => return Err(invalid_pattern()),
        };

        // Shape, then the API model's length constraint (checked for every filter first,
        // as AWS validates the whole request against the model before any service logic).
        let mut sources = Vec::with_capacity(filters.len());
        let mut violations = Vec::new();
        for (i, f) in filters.iter().enumerate() {
            let pattern = match f.as_object().and_then(|fo| fo.get("Pattern")) {
                Some(Value::String(s)) => s,
                _ => return Err(invalid_pattern()),
            };
            if pattern.chars().count() > MAX_PATTERN_CHARS {
                violations.push(format!(
                    "Value '{pattern}' at 'filterCriteria.filters.{}.member.pattern' failed to satisfy \
                     constraint: Member must have length less than or equal to {MAX_PATTERN_CHARS}",
                    i + 1
                ));
            }
            sources.push(pattern);
        }
        if !violations.is_empty() {
            return Err(AwsError::violations(&violations));
        }
        if sources.len() > MAX_FILTERS {
            return Err(AwsError::new(
                ErrorKind::InvalidParameterValue,
                format!(
                    "The number of filters ({}) exceeds the maximum of {MAX_FILTERS} filters per event source mapping.",
                    sources.len()
                ),
            ));
        }

        let mut parsed = Vec::with_capacity(sources.len());
        for source in sources {
            match parse_pattern(source) {
                Ok(pattern) => parsed.push(Filter { source: source.clone(), pattern }),
                Err(PatternError::Invalid) | Err(PatternError::Unsupported) => return Err(invalid_pattern()),
            }
        }
        Ok(FilterCriteria { filters: parsed })
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// True when the record matches any filter (filters are OR'ed); always true when empty.
    pub fn matches(&self, record: &Value) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| match_node(&f.pattern, Some(record)))
    }

    /// Why `record` matches no filter: one sentence per filter, in a learner's words, naming the
    /// first place where that filter failed (a field absent, a type wrapper that differs, a value
    /// not in the list, a number outside the range, ...). Empty when the record matches (or there
    /// are no filters).
    pub fn explain(&self, record: &Value) -> Vec<String> {
        if self.matches(record) {
            return Vec::new();
        }
        self.filters
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let why = why_not_node(&f.pattern, Some(record), "")
                    .unwrap_or_else(|| "it matches (this should not happen)".into());
                format!("Filter {}: {why}", i + 1)
            })
            .collect()
    }

    /// The criteria back in the Lambda API shape (for GetEventSourceMapping-style responses):
    /// `{"Filters": [{"Pattern": "<the string as given>"}, ...]}`, or `{}` when there are no
    /// filters (callers that mirror AWS should then omit `FilterCriteria` altogether).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if !self.filters.is_empty() {
            let filters = self
                .filters
                .iter()
                .map(|f| {
                    let mut fm = Map::new();
                    fm.insert("Pattern".to_string(), Value::String(f.source.clone()));
                    Value::Object(fm)
                })
                .collect();
            m.insert("Filters".to_string(), Value::Array(filters));
        }
        Value::Object(m)
    }
}

// ---------------------------------------------------------------------------------------------
// Pattern parsing

fn parse_pattern(text: &str) -> PResult<Node> {
    // serde_json keeps the last of duplicate keys, which is the documented AWS behaviour.
    let v: Value = serde_json::from_str(&mark_raw_numbers(text)?).map_err(|_| PatternError::Invalid)?;
    match &v {
        Value::Object(m) => parse_node(m, 1),
        _ => Err(PatternError::Invalid),
    }
}

/// Stands in, in a parsed pattern, for a number literal not written as serde_json writes it
/// (`3.0e2`, `300.00`, `1e2`): `{RAW_NUMBER: "<literal>"}`. Pattern numbers equal record numbers
/// by their written form (§5.3: 300, 300.0 and 3.0e2 are not equal), and record numbers are
/// always in serde_json's form, so such a literal equals no record value; `numeric` still reads
/// its value. A NUL-led key no pattern may use (see [`mark_raw_numbers`]).
const RAW_NUMBER: &str = "\u{0}number";

/// The pattern's text with each number literal that is not serde_json's own rendering of its
/// value replaced by a [`RAW_NUMBER`] marker, so parsing keeps how it was written. Text with
/// no such literal (the usual case) is returned as is. A pattern that writes the marker's key
/// itself is invalid.
fn mark_raw_numbers(text: &str) -> PResult<Cow<'_, str>> {
    if text.contains("\\u0000number") {
        return Err(PatternError::Invalid);
    }
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut i, mut copied, mut in_string) = (0, 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1, // the escaped byte is skipped below
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
        } else if b == b'"' {
            in_string = true;
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            let literal = &text[start..i];
            // A literal serde_json refuses is left for the parse to refuse.
            let written_otherwise = match serde_json::from_str::<Value>(literal) {
                Ok(Value::Number(n)) => !written_as_serde_json(literal, &n),
                _ => false,
            };
            if written_otherwise {
                let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 32));
                o.push_str(&text[copied..start]);
                o.push_str(&format!("{{\"\\u0000number\":\"{literal}\"}}"));
                copied = i;
            }
        } else {
            i += 1;
        }
    }
    Ok(match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    })
}

fn parse_node(m: &Map<String, Value>, depth: usize) -> PResult<Node> {
    // EventBridge refuses empty objects in a pattern; an empty object would otherwise
    // silently match everything (or, nested, demand a field with no conditions).
    if depth > MAX_PATTERN_DEPTH || m.is_empty() {
        return Err(PatternError::Invalid);
    }
    let mut node = Node::default();
    for (key, value) in m {
        if key == "$or" {
            // `$or` takes an array of at least two pattern objects, each evaluated at this level.
            let alts = value.as_array().ok_or(PatternError::Invalid)?;
            if alts.len() < 2 {
                return Err(PatternError::Invalid);
            }
            let mut parsed = Vec::with_capacity(alts.len());
            for alt in alts {
                let o = alt.as_object().ok_or(PatternError::Invalid)?;
                parsed.push(parse_node(o, depth + 1)?);
            }
            node.or = Some(parsed);
            continue;
        }
        let rule = match value {
            Value::Object(o) => Rule::Nested(parse_node(o, depth + 1)?),
            Value::Array(a) => Rule::Leaf(parse_matchers(a)?),
            // A bare scalar (`"eventName": "INSERT"`) is not valid: values go in an array.
            _ => return Err(PatternError::Invalid),
        };
        node.fields.push((key.clone(), rule));
    }
    Ok(node)
}

fn parse_matchers(a: &[Value]) -> PResult<Vec<Matcher>> {
    // An empty list could never match anything; treated as an invalid pattern.
    if a.is_empty() {
        return Err(PatternError::Invalid);
    }
    a.iter().map(parse_matcher).collect()
}

fn parse_matcher(v: &Value) -> PResult<Matcher> {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => Ok(Matcher::Equals(v.clone())),
        Value::Array(_) => Err(PatternError::Invalid),
        Value::Object(o) => {
            let (op, arg) = single_entry(o)?;
            match op {
                RAW_NUMBER => Ok(Matcher::Equals(v.clone())),
                "exists" => match arg {
                    Value::Bool(b) => Ok(Matcher::Exists(*b)),
                    _ => Err(PatternError::Invalid),
                },
                "prefix" => {
                    let (value, ignore_case) = parse_affix(arg)?;
                    Ok(Matcher::Prefix { value, ignore_case })
                }
                "suffix" => {
                    let (value, ignore_case) = parse_affix(arg)?;
                    Ok(Matcher::Suffix { value, ignore_case })
                }
                "equals-ignore-case" => match arg {
                    Value::String(s) => Ok(Matcher::EqualsIgnoreCase(crate::support::platform::to_lowercase(s))),
                    _ => Err(PatternError::Invalid),
                },
                "anything-but" => parse_anything_but(arg),
                "numeric" => parse_numeric(arg),
                "wildcard" => Err(PatternError::Unsupported),
                // `cidr`, `contains`, `$or` inside a value list, unknown names.
                _ => Err(PatternError::Invalid),
            }
        }
    }
}

fn single_entry(o: &Map<String, Value>) -> PResult<(&str, &Value)> {
    let mut it = o.iter();
    match (it.next(), it.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        _ => Err(PatternError::Invalid),
    }
}

/// `"x"` or `{"equals-ignore-case": "x"}` → (value, ignore_case), lower-cased when ignoring case.
fn parse_affix(arg: &Value) -> PResult<(String, bool)> {
    match arg {
        Value::String(s) => Ok((s.clone(), false)),
        Value::Object(o) => match single_entry(o)? {
            ("equals-ignore-case", Value::String(s)) => Ok((crate::support::platform::to_lowercase(s), true)),
            _ => Err(PatternError::Invalid),
        },
        _ => Err(PatternError::Invalid),
    }
}

fn parse_anything_but(arg: &Value) -> PResult<Matcher> {
    match arg {
        Value::String(_) | Value::Number(_) => Ok(Matcher::AnythingBut(vec![arg.clone()])),
        Value::Object(_) if raw_number(arg).is_some() => Ok(Matcher::AnythingBut(vec![arg.clone()])),
        Value::Array(items) => {
            let all_strings = items.iter().all(Value::is_string);
            let all_numbers = items.iter().all(|i| i.is_number() || raw_number(i).is_some());
            if items.is_empty() || !(all_strings || all_numbers) {
                return Err(PatternError::Invalid);
            }
            Ok(Matcher::AnythingBut(items.clone()))
        }
        Value::Object(o) => match single_entry(o)?.0 {
            "prefix" | "suffix" | "equals-ignore-case" | "wildcard" => Err(PatternError::Unsupported),
            _ => Err(PatternError::Invalid),
        },
        Value::Bool(_) | Value::Null => Err(PatternError::Invalid),
    }
}

/// `["=", n]`, or one or two bounds `[">", a]`, `[">", a, "<=", b]` (one lower and one upper,
/// either order, lower < upper).
fn parse_numeric(arg: &Value) -> PResult<Matcher> {
    let items = arg.as_array().ok_or(PatternError::Invalid)?;
    if items.is_empty() || items.len() % 2 != 0 || items.len() > 4 {
        return Err(PatternError::Invalid);
    }
    let mut conds = Vec::with_capacity(items.len() / 2);
    for pair in items.chunks(2) {
        let cmp = match pair[0].as_str() {
            Some("=") => Cmp::Eq,
            Some("<") => Cmp::Lt,
            Some("<=") => Cmp::Le,
            Some(">") => Cmp::Gt,
            Some(">=") => Cmp::Ge,
            _ => return Err(PatternError::Invalid),
        };
        let n = match (&pair[1], raw_number(&pair[1])) {
            (Value::Number(n), _) => n.as_f64(),
            // serde_json's reading, not `str::parse`: that one's tables weigh 16 KB in the page.
            (_, Some(raw)) => serde_json::from_str::<Value>(raw).ok().and_then(|v| v.as_f64()),
            _ => None,
        };
        let n = n.filter(|f| f.is_finite()).ok_or(PatternError::Invalid)?;
        conds.push((cmp, n));
    }
    if conds.len() == 2 {
        let is_lower = |c: Cmp| matches!(c, Cmp::Gt | Cmp::Ge);
        let is_upper = |c: Cmp| matches!(c, Cmp::Lt | Cmp::Le);
        let (a, b) = (conds[0], conds[1]);
        let (lower, upper) = if is_lower(a.0) && is_upper(b.0) {
            (a.1, b.1)
        } else if is_upper(a.0) && is_lower(b.0) {
            (b.1, a.1)
        } else {
            // two lower bounds, two upper bounds, or `=` combined with anything
            return Err(PatternError::Invalid);
        };
        if lower >= upper {
            return Err(PatternError::Invalid);
        }
    }
    Ok(Matcher::Numeric(conds))
}

// ---------------------------------------------------------------------------------------------
// Matching

/// Matches a pattern object against the record value at the same path (`None` = absent).
fn match_node(node: &Node, rec: Option<&Value>) -> bool {
    if let Some(Value::Array(_)) = rec {
        let mut elements = Vec::new();
        flatten(rec.unwrap_or(&Value::Null), &mut elements);
        if elements.is_empty() {
            return match_node_at(node, None);
        }
        return elements.into_iter().any(|e| match_node_at(node, Some(e)));
    }
    match_node_at(node, rec)
}

/// `rec` is never an array here.
fn match_node_at(node: &Node, rec: Option<&Value>) -> bool {
    let obj = rec.and_then(Value::as_object);
    for (key, rule) in &node.fields {
        let child = obj.and_then(|o| o.get(key));
        let ok = match rule {
            Rule::Nested(n) => match_node(n, child),
            Rule::Leaf(ms) => match_leaf(ms, child),
        };
        if !ok {
            return false;
        }
    }
    match &node.or {
        Some(alts) => alts.iter().any(|alt| match_node(alt, rec)),
        None => true,
    }
}

fn match_leaf(matchers: &[Matcher], value: Option<&Value>) -> bool {
    let mut leaves = Vec::new();
    if let Some(v) = value {
        flatten(v, &mut leaves);
        leaves.retain(|l| !l.is_object());
    }
    matchers.iter().any(|m| match m {
        Matcher::Exists(true) => !leaves.is_empty(),
        Matcher::Exists(false) => leaves.is_empty(),
        _ => leaves.iter().any(|l| leaf_matches(m, l)),
    })
}

// ---------------------------------------------------------------------------------------------
// Explaining a non-match, for learners. Mirrors the matching above: where `match_*` answers
// false, `why_not_*` names the first reason.

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// DynamoDB's type wrappers, as the record carries them, and what a learner calls them.
const WRAPPERS: [(&str, &str); 10] = [
    ("S", "a string"),
    ("N", "a number"),
    ("B", "a binary"),
    ("BOOL", "a boolean"),
    ("NULL", "a null"),
    ("M", "a map"),
    ("L", "a list"),
    ("SS", "a string set"),
    ("NS", "a number set"),
    ("BS", "a binary set"),
];

fn wrapper_name(key: &str) -> Option<&'static str> {
    WRAPPERS.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)
}

fn why_not_node(node: &Node, rec: Option<&Value>, path: &str) -> Option<String> {
    if let Some(Value::Array(_)) = rec {
        let mut elements = Vec::new();
        flatten(rec.unwrap_or(&Value::Null), &mut elements);
        if elements.is_empty() {
            return why_not_node_at(node, None, path);
        }
        if elements.iter().any(|e| match_node_at(node, Some(e))) {
            return None;
        }
        let first = why_not_node_at(node, Some(elements[0]), path)?;
        return Some(format!("{first} (nor does any other element of the list)"));
    }
    why_not_node_at(node, rec, path)
}

fn why_not_node_at(node: &Node, rec: Option<&Value>, path: &str) -> Option<String> {
    let obj = rec.and_then(Value::as_object);
    for (key, rule) in &node.fields {
        let child = obj.and_then(|o| o.get(key));
        let at = join_path(path, key);
        let why = match rule {
            Rule::Nested(n) if child.is_none() => Some(absent(&at, obj, key)),
            Rule::Nested(n) => why_not_node(n, child, &at),
            Rule::Leaf(ms) => why_not_leaf(ms, child, &at, obj, key),
        };
        if why.is_some() {
            return why;
        }
    }
    match &node.or {
        Some(alts) if !alts.iter().any(|alt| match_node(alt, rec)) => {
            let each: Vec<String> = alts
                .iter()
                .enumerate()
                .filter_map(|(i, alt)| why_not_node(alt, rec, path).map(|w| format!("({}) {w}", i + 1)))
                .collect();
            Some(format!("no alternative of $or matches: {}", each.join("; ")))
        }
        _ => None,
    }
}

/// A field the pattern names is not in the record. When the pattern names a type wrapper
/// (`"S"`) and the record has another one (`"N"`), say so: the commonest mistake.
fn absent(at: &str, obj: Option<&Map<String, Value>>, key: &str) -> String {
    let other = obj.and_then(|o| o.keys().find_map(|k| wrapper_name(k).map(|n| (k.clone(), n))));
    match (wrapper_name(key), other) {
        (Some(want), Some((k, have))) => {
            let parent = at.rsplit_once('.').map_or("", |(p, _)| p);
            format!(
                "{parent} is {have} ({{\"{k}\": ...}}) in the record, but the pattern looks for {want} ({{\"{key}\": ...}}): DynamoDB's type wrappers must match"
            )
        }
        _ => format!("the record has no {at} (the pattern needs it)"),
    }
}

fn show(v: &Value) -> String {
    match raw_number(v) {
        Some(raw) => raw.to_string(),
        None => v.to_string(),
    }
}

fn describe(m: &Matcher) -> String {
    match m {
        Matcher::Equals(v) => show(v),
        Matcher::AnythingBut(list) => {
            format!("anything but {}", list.iter().map(show).collect::<Vec<_>>().join(", "))
        }
        Matcher::Numeric(conds) => {
            let parts: Vec<String> = conds
                .iter()
                .map(|(c, n)| {
                    let op = match c {
                        Cmp::Eq => "=",
                        Cmp::Lt => "<",
                        Cmp::Le => "<=",
                        Cmp::Gt => ">",
                        Cmp::Ge => ">=",
                    };
                    // A decimal text of the bound, without core's float formatting (page size).
                    let shown = crate::model::Number::from_f64(*n).map_or_else(|| "?".to_string(), |n| n.to_string());
                    format!("{op} {shown}")
                })
                .collect();
            format!("a number {}", parts.join(" and "))
        }
        Matcher::Exists(true) => "present".into(),
        Matcher::Exists(false) => "absent".into(),
        Matcher::Prefix { value, ignore_case } => {
            format!("text starting with \"{value}\"{}", if *ignore_case { " (any case)" } else { "" })
        }
        Matcher::Suffix { value, ignore_case } => {
            format!("text ending with \"{value}\"{}", if *ignore_case { " (any case)" } else { "" })
        }
        Matcher::EqualsIgnoreCase(v) => format!("\"{v}\" in any case"),
    }
}

fn why_not_leaf(
    matchers: &[Matcher],
    value: Option<&Value>,
    at: &str,
    parent: Option<&Map<String, Value>>,
    key: &str,
) -> Option<String> {
    if match_leaf(matchers, value) {
        return None;
    }
    let wanted: Vec<String> = matchers.iter().map(describe).collect();
    let wanted = if wanted.len() == 1 { wanted[0].clone() } else { format!("one of: {}", wanted.join("; ")) };
    let Some(v) = value else {
        let why = absent(at, parent, key);
        return Some(if wrapper_name(key).is_some() { why } else { format!("{why}; the pattern wants {wanted}") });
    };
    let mut leaves = Vec::new();
    flatten(v, &mut leaves);
    leaves.retain(|l| !l.is_object());
    if leaves.is_empty() {
        return Some(format!("{at} is an object in the record, not a value; the pattern wants {wanted}"));
    }
    let numeric = matchers.iter().any(|m| matches!(m, Matcher::Numeric(_)));
    if numeric
        && leaves
            .iter()
            .all(|l| l.is_string() && l.as_str().is_some_and(|s| crate::support::float::parse_f64(s).is_some()))
    {
        return Some(format!(
            "{at} is {} in the record: DynamoDB sends numbers as text ({{\"N\": \"42\"}}), and a numeric filter never matches text",
            leaves.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    let shown = leaves.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ");
    Some(format!("{at} is {shown}; the pattern wants {wanted}"))
}

/// Pushes `v` itself, or (for an array) its non-array elements, flattening nested arrays up
/// to [`MAX_PATTERN_DEPTH`] levels with an explicit stack (deeper elements are ignored).
fn flatten<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    let mut stack: Vec<(&'a Value, usize)> = vec![(v, 0)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Value::Array(items) => {
                if depth < MAX_PATTERN_DEPTH {
                    // reversed so elements come out in order
                    stack.extend(items.iter().rev().map(|i| (i, depth + 1)));
                }
            }
            _ => out.push(v),
        }
    }
}

/// The literal of a [`RAW_NUMBER`] marker.
fn raw_number(v: &Value) -> Option<&str> {
    match v.as_object().map(|o| (o.len(), o.get(RAW_NUMBER))) {
        Some((1, Some(Value::String(raw)))) => Some(raw),
        _ => None,
    }
}

/// Typed equality of a pattern value and a record leaf; numbers by their written form (§5.3).
/// A [`RAW_NUMBER`] literal is not written as serde_json writes numbers, and every record
/// number is, so it equals no leaf.
fn equals(pattern: &Value, leaf: &Value) -> bool {
    raw_number(pattern).is_none() && pattern == leaf
}

/// Whether `literal`, which serde_json parsed to `n`, is what serde_json writes for `n`: an
/// integer as is, a float as ryu's shortest form does (`300.0`, `0.001`, `1e16`, `1.5e-7`).
/// Worked out on the literal's digits, without formatting a float (that code would add
/// kilobytes to the page for this one check). A literal of 16 or 17 significant digits is
/// taken to be the shortest form of its value (they seldom are not).
fn written_as_serde_json(literal: &str, n: &serde_json::Number) -> bool {
    if let Some(u) = n.as_u64() {
        return literal == u.to_string();
    }
    if let Some(i) = n.as_i64() {
        return literal == i.to_string();
    }
    let (neg, body) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(at) => match body[at + 1..].parse::<i64>() {
            Ok(e) if e.unsigned_abs() < 100_000 => (&body[..at], e),
            _ => return false,
        },
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The value is 0.DIGITS x 10^point.
    let all: String = [int, frac].concat();
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all[lead..].trim_end_matches('0');
    let point = int.len() as i64 - lead as i64 + exp;
    let mut form = String::from(if neg { "-" } else { "" });
    let length = digits.len() as i64;
    if digits.is_empty() {
        form.push_str("0.0");
    } else if length > 17 {
        return false;
    } else if length <= point && point <= 16 {
        form.push_str(digits);
        form.extend(std::iter::repeat_n('0', (point - length) as usize));
        form.push_str(".0");
    } else if 0 < point && point <= 16 {
        form.push_str(&digits[..point as usize]);
        form.push('.');
        form.push_str(&digits[point as usize..]);
    } else if -5 < point && point <= 0 {
        form.push_str("0.");
        form.extend(std::iter::repeat_n('0', (-point) as usize));
        form.push_str(digits);
    } else {
        form.push_str(&digits[..1]);
        if length > 1 {
            form.push('.');
            form.push_str(&digits[1..]);
        }
        form.push_str(&format!("e{}{}", if point > 0 { "+" } else { "" }, point - 1));
    }
    literal == form
}

/// `leaf` is a string, number, boolean or null.
fn leaf_matches(m: &Matcher, leaf: &Value) -> bool {
    match m {
        Matcher::Equals(p) => equals(p, leaf),
        Matcher::AnythingBut(list) => !list.iter().any(|p| equals(p, leaf)),
        Matcher::Numeric(conds) => match leaf.as_f64() {
            Some(x) if leaf.is_number() => conds.iter().all(|&(c, n)| match c {
                Cmp::Eq => x == n,
                Cmp::Lt => x < n,
                Cmp::Le => x <= n,
                Cmp::Gt => x > n,
                Cmp::Ge => x >= n,
            }),
            _ => false,
        },
        Matcher::Exists(_) => false, // handled by match_leaf
        Matcher::Prefix { value, ignore_case } => match leaf.as_str() {
            Some(s) if *ignore_case => crate::support::platform::to_lowercase(s).starts_with(value.as_str()),
            Some(s) => s.starts_with(value.as_str()),
            None => false,
        },
        Matcher::Suffix { value, ignore_case } => match leaf.as_str() {
            Some(s) if *ignore_case => crate::support::platform::to_lowercase(s).ends_with(value.as_str()),
            Some(s) => s.ends_with(value.as_str()),
            None => false,
        },
        Matcher::EqualsIgnoreCase(value) => {
            leaf.as_str().is_some_and(|s| crate::support::platform::to_lowercase(s) == *value)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest and miniz_oxide are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-06-20T16:00:00.123";

    // §1.5, NEW_AND_OLD_IMAGES stream.
    const INSERT: &str = r#"{"eventID":"6f1c2e0b9a7d4c3e8b5a1f0e2d3c4b5a","eventName":"INSERT","eventVersion":"1.1",
      "eventSource":"aws:dynamodb","awsRegion":"us-east-1",
      "dynamodb":{"ApproximateCreationDateTime":1718899200.0,
       "Keys":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"}},
       "NewImage":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"},"status":{"S":"open"},"total":{"N":"25.5"}},
       "SequenceNumber":"1200000000034567890121","SizeBytes":48,"StreamViewType":"NEW_AND_OLD_IMAGES"},
      "eventSourceARN":"ARN"}"#;
    const MODIFY: &str = r#"{"eventID":"0a9b8c7d6e5f40312233445566778899","eventName":"MODIFY","eventVersion":"1.1",
      "eventSource":"aws:dynamodb","awsRegion":"us-east-1",
      "dynamodb":{"ApproximateCreationDateTime":1718899260.0,
       "Keys":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"}},
       "NewImage":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"},"status":{"S":"shipped"},
                   "total":{"N":"25.5"},"tags":{"SS":["gift"]}},
       "OldImage":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"},"status":{"S":"open"},"total":{"N":"25.5"}},
       "SequenceNumber":"1300000000034567890588","SizeBytes":92,"StreamViewType":"NEW_AND_OLD_IMAGES"},
      "eventSourceARN":"ARN"}"#;
    const REMOVE: &str = r#"{"eventID":"ffeeddccbbaa99887766554433221100","eventName":"REMOVE","eventVersion":"1.1",
      "eventSource":"aws:dynamodb","awsRegion":"us-east-1",
      "dynamodb":{"ApproximateCreationDateTime":1718899320.0,
       "Keys":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"}},
       "OldImage":{"pk":{"S":"ORDER#1"},"sk":{"S":"META"},"status":{"S":"shipped"},
                   "total":{"N":"25.5"},"tags":{"SS":["gift"]}},
       "SequenceNumber":"1400000000034567891003","SizeBytes":59,"StreamViewType":"NEW_AND_OLD_IMAGES"},
      "eventSourceARN":"ARN"}"#;
    // §1.6
    const TTL_REMOVE: &str = r#"{"eventID":"9c2f5a7e1b3d4f60a8c9e0d1f2a3b4c5","eventName":"REMOVE","eventVersion":"1.1",
      "eventSource":"aws:dynamodb","awsRegion":"us-east-1",
      "userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},
      "dynamodb":{"ApproximateCreationDateTime":1718990000.0,
       "Keys":{"pk":{"S":"SESSION#9"},"sk":{"S":"META"}},
       "OldImage":{"pk":{"S":"SESSION#9"},"sk":{"S":"META"},"expiresAt":{"N":"1718900000"}},
       "SequenceNumber":"1500000000034567899001","SizeBytes":47,"StreamViewType":"NEW_AND_OLD_IMAGES"},
      "eventSourceARN":"ARN"}"#;

    fn rec(text: &str) -> Value {
        serde_json::from_str(&text.replace("\"ARN\"", &format!("\"{ARN}\""))).unwrap()
    }
    fn insert() -> Value {
        rec(INSERT)
    }
    fn modify() -> Value {
        rec(MODIFY)
    }
    fn remove() -> Value {
        rec(REMOVE)
    }
    fn ttl_remove() -> Value {
        rec(TTL_REMOVE)
    }
    /// The INSERT record with one more NewImage attribute.
    fn insert_with(name: &str, value: Value) -> Value {
        let mut r = insert();
        r["dynamodb"]["NewImage"][name] = value;
        r
    }

    fn criteria(patterns: &[&str]) -> FilterCriteria {
        let filters: Vec<Value> = patterns.iter().map(|p| json!({ "Pattern": p })).collect();
        FilterCriteria::parse(&json!({ "Filters": filters })).unwrap_or_else(|e| panic!("{patterns:?}: {e:?}"))
    }
    fn m(pattern: &str, record: &Value) -> bool {
        criteria(&[pattern]).matches(record)
    }
    fn parse_err(patterns: &[&str]) -> (String, String) {
        let e = parse_err_aws(patterns);
        (e.kind.as_str().to_string(), e.message)
    }
    fn parse_err_aws(patterns: &[&str]) -> AwsError {
        let filters: Vec<Value> = patterns.iter().map(|p| json!({ "Pattern": p })).collect();
        FilterCriteria::parse(&json!({ "Filters": filters })).expect_err("should be rejected")
    }
    fn invalid() -> (String, String) {
        ("InvalidParameterValueException".to_string(), "Invalid filter pattern definition.".to_string())
    }

    // ---- §5.4 worked examples -------------------------------------------------------------

    #[test]
    fn example_01_event_name_insert_matches_insert() {
        assert!(m(r#"{"eventName":["INSERT"]}"#, &insert()));
    }

    #[test]
    fn example_02_event_name_insert_rejects_modify() {
        assert!(!m(r#"{"eventName":["INSERT"]}"#, &modify()));
    }

    #[test]
    fn example_03_value_list_is_or() {
        let p = r#"{"eventName":["INSERT","MODIFY"]}"#;
        assert!(m(p, &modify()));
        assert!(m(p, &insert()));
        assert!(!m(p, &remove()));
    }

    #[test]
    fn example_04_typed_new_image_value() {
        let p = r#"{"dynamodb":{"NewImage":{"status":{"S":["shipped"]}}}}"#;
        assert!(m(p, &modify()));
        assert!(!m(p, &insert()));
    }

    #[test]
    fn example_05_missing_type_wrapper_does_not_match() {
        let p = r#"{"dynamodb":{"NewImage":{"status":["shipped"]}}}"#;
        assert!(!m(p, &modify()));
    }

    #[test]
    fn example_06_exists_true_on_set_leaf() {
        let p = r#"{"dynamodb":{"NewImage":{"tags":{"SS":[{"exists":true}]}}}}"#;
        assert!(m(p, &modify()));
        assert!(!m(p, &insert()));
    }

    #[test]
    fn example_07_exists_false_on_object_path_matches() {
        let p = r#"{"dynamodb":{"NewImage":{"tags":[{"exists":false}]}}}"#;
        assert!(m(p, &modify()));
        // and `exists: true` on the same object path does not
        assert!(!m(r#"{"dynamodb":{"NewImage":{"tags":[{"exists":true}]}}}"#, &modify()));
    }

    #[test]
    fn example_08_numeric_never_matches_n_strings() {
        let p = r#"{"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",10]}]}}}}"#;
        assert!(!m(p, &insert()));
    }

    #[test]
    fn example_09_n_matched_as_exact_string() {
        assert!(m(r#"{"dynamodb":{"NewImage":{"total":{"N":["25.5"]}}}}"#, &insert()));
        // and not as a number
        assert!(!m(r#"{"dynamodb":{"NewImage":{"total":{"N":[25.5]}}}}"#, &insert()));
    }

    #[test]
    fn example_10_and_of_both_keys() {
        let p = r#"{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"ORDER#"}]},"sk":{"S":["META"]}}}}"#;
        assert!(m(p, &insert()));
        assert!(m(p, &modify()));
        assert!(m(p, &remove()));
        assert!(!m(p, &ttl_remove()), "SESSION#9 fails the prefix");
        let mut wrong_sk = insert();
        wrong_sk["dynamodb"]["Keys"]["sk"] = json!({"S": "OTHER"});
        assert!(!m(p, &wrong_sk), "both keys must match");
    }

    #[test]
    fn example_11_ttl_user_identity() {
        let p = r#"{"userIdentity":{"type":["Service"],"principalId":["dynamodb.amazonaws.com"]}}"#;
        assert!(m(p, &ttl_remove()));
        assert!(!m(p, &remove()));
    }

    #[test]
    fn example_12_numeric_on_creation_time() {
        let p = r#"{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">",0]}]}}"#;
        for r in [insert(), modify(), remove(), ttl_remove()] {
            assert!(m(p, &r));
        }
    }

    #[test]
    fn example_13_anything_but() {
        let p = r#"{"dynamodb":{"NewImage":{"status":{"S":[{"anything-but":["open"]}]}}}}"#;
        assert!(m(p, &modify()));
        assert!(!m(p, &insert()));
        assert!(!m(p, &remove()), "no NewImage");
    }

    #[test]
    fn example_14_filters_are_ored() {
        let c = criteria(&[r#"{"eventName":["REMOVE"]}"#, r#"{"dynamodb":{"NewImage":{"status":{"S":["open"]}}}}"#]);
        assert!(c.matches(&insert()));
        assert!(!c.matches(&modify()));
        assert!(c.matches(&remove()));
    }

    #[test]
    fn example_15_state_transition() {
        let p = r#"{"eventName":["MODIFY"],"dynamodb":{"OldImage":{"status":{"S":["open"]}},"NewImage":{"status":{"S":["shipped"]}}}}"#;
        assert!(m(p, &modify()));
        assert!(!m(p, &insert()));
        assert!(!m(p, &remove()));
    }

    #[test]
    fn example_16_bool() {
        let p = r#"{"dynamodb":{"NewImage":{"active":{"BOOL":[true]}}}}"#;
        assert!(m(p, &insert_with("active", json!({"BOOL": true}))));
        assert!(!m(p, &insert_with("active", json!({"BOOL": false}))));
        assert!(!m(p, &insert()));
        // `true` is not the string "true"
        assert!(!m(
            r#"{"dynamodb":{"NewImage":{"active":{"BOOL":["true"]}}}}"#,
            &insert_with("active", json!({"BOOL": true}))
        ));
    }

    #[test]
    fn example_extra_anything_but_on_n_string() {
        let p = r#"{"dynamodb":{"NewImage":{"n":{"N":[{"anything-but":"101"}]}}}}"#;
        assert!(m(p, &insert_with("n", json!({"N": "42"}))));
        assert!(!m(p, &insert_with("n", json!({"N": "101"}))));
        assert!(!m(p, &insert()), "missing field");
    }

    // ---- operators ------------------------------------------------------------------------

    #[test]
    fn equality_is_exact_and_typed() {
        assert!(!m(r#"{"eventName":["insert"]}"#, &insert()));
        assert!(!m(r#"{"eventName":["INSERT "]}"#, &insert()));
        assert!(m(r#"{"dynamodb":{"SizeBytes":[48]}}"#, &insert()));
        assert!(!m(r#"{"dynamodb":{"SizeBytes":["48"]}}"#, &insert()));
        assert!(!m(r#"{"dynamodb":{"SequenceNumber":[1200000000034567890121]}}"#, &insert()));
        // 300 vs 300.0: different representations do not match (§5.3)
        assert!(m(r#"{"dynamodb":{"ApproximateCreationDateTime":[1718899200.0]}}"#, &insert()));
        assert!(!m(r#"{"dynamodb":{"ApproximateCreationDateTime":[1718899200]}}"#, &insert()));
    }

    #[test]
    fn numbers_equal_only_as_written() {
        // §5.3: 300, 300.0 and 3.0e2 are not equal. SizeBytes 48, ApproximateCreationDateTime 1718899200.0.
        let r = insert();
        assert!(m(r#"{"dynamodb":{"SizeBytes":[48]}}"#, &r));
        for p in ["48.0", "4.8e1", "48e0", "0.48E2"] {
            assert!(!m(&format!(r#"{{"dynamodb":{{"SizeBytes":[{p}]}}}}"#), &r), "{p}");
            assert!(m(&format!(r#"{{"dynamodb":{{"SizeBytes":[{{"anything-but":{p}}}]}}}}"#), &r), "{p}");
            assert!(m(&format!(r#"{{"dynamodb":{{"SizeBytes":[{{"anything-but":[1,{p}]}}]}}}}"#), &r), "{p}");
            assert!(m(&format!(r#"{{"dynamodb":{{"SizeBytes":[{{"numeric":["=",{p}]}}]}}}}"#), &r), "{p}");
            assert!(m(&format!(r#"{{"dynamodb":{{"SizeBytes":[{{"numeric":[">",1,"<=",{p}]}}]}}}}"#), &r), "{p}");
        }
        assert!(!m(r#"{"dynamodb":{"ApproximateCreationDateTime":[1.7188992e9]}}"#, &r));
        assert!(m(r#"{"dynamodb":{"ApproximateCreationDateTime":[1718899200.0]}}"#, &r));
        // Differently written numbers stay invalid where numbers are.
        for p in [r#"{"eventName":[{"prefix":1e0}]}"#, r#"{"eventName":1e0}"#, r#"{"eventName":[{"exists":1e0}]}"#] {
            assert_eq!(parse_err(&[p]), invalid(), "{p}");
        }
        // The marker key itself is not a pattern key.
        assert_eq!(parse_err(&["{\"x\":[{\"\\u0000number\":\"5\"}]}"]), invalid());
        // Deep nesting is still refused, not a stack overflow.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse_pattern(&format!("{{\"a\":{deep}}}")), Err(PatternError::Invalid));
        let deep_ok = format!("{{\"a\":{}1{}}}", "[".repeat(120), "]".repeat(120));
        assert_eq!(parse_pattern(&deep_ok), Err(PatternError::Invalid), "nested arrays are invalid, but parse");
    }

    #[test]
    fn serde_json_form_of_numbers_is_worked_out_as_serde_json_writes_it() {
        // Every literal against serde_json's own rendering of its value (of values serde_json
        // reads exactly: it reads some literals far from 1, like 1.5e-300, a bit off).
        let literals = [
            "0",
            "-0",
            "7",
            "-7",
            "300",
            "18446744073709551615",
            "-9223372036854775808",
            "18446744073709551616",
            "300.0",
            "300.00",
            "3.0e2",
            "3e2",
            "3E2",
            "3e+2",
            "1e16",
            "1e15",
            "1e17",
            "1.0e16",
            "123456789012345.0",
            "1234567890123456.0",
            "12345678901234567.0",
            "1.5e-7",
            "0.0000015",
            "0.00015",
            "0.0001",
            "1e-5",
            "0.00001",
            "1.5",
            "1.50",
            "01.5",
            "0.1",
            ".1",
            "0.0",
            "-0.0",
            "0e0",
            "0.000",
            "-1.5e-10",
            "1.2345e-7",
            "-2.5e+20",
            "1.7976931348623157e308",
            "1718899200.0",
            "1.7188992e9",
            "1767225600.25",
            "2.5e-5",
            "0.000025",
            "1e-7",
            "1e100",
            "1.0e100",
            "100e98",
            "1e+16",
            "1e+100",
            "1.5e+20",
            "-2e+300",
            "1e-07",
        ];
        for l in literals {
            let Ok(Value::Number(n)) = serde_json::from_str::<Value>(l) else { continue };
            assert_eq!(written_as_serde_json(l, &n), n.to_string() == l, "{l}");
        }
    }

    #[test]
    fn number_marking_leaves_strings_and_canonical_numbers_alone() {
        // Digits inside strings (also after an escaped quote) are text, not literals.
        let t = r#"{"a":["3.0e2","x\"1e2",300,300.0],"b":[{"numeric":[">",-1.5e0]}]}"#;
        let marked = mark_raw_numbers(t).unwrap();
        assert_eq!(marked, r#"{"a":["3.0e2","x\"1e2",300,300.0],"b":[{"numeric":[">",{"\u0000number":"-1.5e0"}]}]}"#);
        let plain = r#"{"a":[300,300.0,-2,"3.0e2"]}"#;
        assert!(matches!(mark_raw_numbers(plain), Ok(Cow::Borrowed(_))), "nothing to mark: no copy");
    }

    #[test]
    fn null_matches_json_null_only() {
        let p = r#"{"dynamodb":{"NewImage":{"x":[null]}}}"#;
        assert!(m(p, &insert_with("x", Value::Null)));
        assert!(!m(p, &insert()), "missing is not null");
        assert!(!m(p, &insert_with("x", json!(""))));
        assert!(!m(p, &insert_with("x", json!({"NULL": true}))), "the NULL wrapper is an object");
        assert!(m(r#"{"dynamodb":{"NewImage":{"x":{"NULL":[true]}}}}"#, &insert_with("x", json!({"NULL": true}))));
    }

    #[test]
    fn empty_string_matches_empty_string_only() {
        let p = r#"{"dynamodb":{"NewImage":{"x":{"S":[""]}}}}"#;
        assert!(m(p, &insert_with("x", json!({"S": ""}))));
        assert!(!m(p, &insert_with("x", json!({"S": " "}))));
        assert!(!m(p, &insert_with("x", json!({"NULL": true}))));
        assert!(!m(p, &insert()));
    }

    #[test]
    fn or_at_top_level_and_nested() {
        let top = r#"{"$or":[{"eventName":["REMOVE"]},{"dynamodb":{"NewImage":{"tags":{"SS":["gift"]}}}}]}"#;
        assert!(m(top, &modify()));
        assert!(m(top, &remove()));
        assert!(!m(top, &insert()));
        let nested = r#"{"dynamodb":{"NewImage":{"$or":[{"status":{"S":["open"]}},{"tags":{"SS":["gift"]}}]}}}"#;
        assert!(m(nested, &insert()));
        assert!(m(nested, &modify()));
        assert!(!m(nested, &remove()));
        // `$or` is AND'ed with its siblings
        let with_sibling = r#"{"eventName":["INSERT"],"$or":[{"eventSource":["x"]},{"awsRegion":["us-east-1"]}]}"#;
        assert!(m(with_sibling, &insert()));
        assert!(!m(with_sibling, &modify()));
        // nested `$or` inside an `$or`
        let deep = r#"{"$or":[{"eventName":["X"]},{"$or":[{"eventName":["Y"]},{"eventName":["MODIFY"]}]}]}"#;
        assert!(m(deep, &modify()));
        assert!(!m(deep, &insert()));
    }

    #[test]
    fn anything_but_forms() {
        let list = r#"{"eventName":[{"anything-but":["INSERT","MODIFY"]}]}"#;
        assert!(m(list, &remove()));
        assert!(!m(list, &insert()));
        let single = r#"{"eventName":[{"anything-but":"INSERT"}]}"#;
        assert!(m(single, &modify()));
        assert!(!m(single, &insert()));
        let numbers = r#"{"dynamodb":{"SizeBytes":[{"anything-but":[48, 59]}]}}"#;
        assert!(m(numbers, &modify()));
        assert!(!m(numbers, &insert()));
        let one_number = r#"{"dynamodb":{"SizeBytes":[{"anything-but":48}]}}"#;
        assert!(!m(one_number, &insert()));
        assert!(m(one_number, &remove()));
        // never matches a missing field
        assert!(!m(r#"{"nope":[{"anything-but":"x"}]}"#, &insert()));
        // ... nor an object-valued path
        assert!(!m(r#"{"dynamodb":{"NewImage":{"status":[{"anything-but":"x"}]}}}"#, &insert()));
    }

    #[test]
    fn numeric_ranges_and_equals() {
        let r = insert(); // SizeBytes 48, ApproximateCreationDateTime 1718899200.0
        assert!(m(r#"{"dynamodb":{"SizeBytes":[{"numeric":[">",10,"<=",48]}]}}"#, &r));
        assert!(!m(r#"{"dynamodb":{"SizeBytes":[{"numeric":[">",10,"<",48]}]}}"#, &r));
        assert!(m(
            r#"{"dynamodb":{"SizeBytes":[{"numeric":["<=",48,">=",48.0]}]}}"#.replace("48.0", "47.5").as_str(),
            &r
        ));
        assert!(m(r#"{"dynamodb":{"SizeBytes":[{"numeric":["=",48]}]}}"#, &r));
        assert!(m(r#"{"dynamodb":{"SizeBytes":[{"numeric":["=",48.0]}]}}"#, &r), "numeric compares values");
        assert!(!m(r#"{"dynamodb":{"SizeBytes":[{"numeric":["=",49]}]}}"#, &r));
        assert!(m(r#"{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">=",1718899200]}]}}"#, &r));
        assert!(!m(r#"{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">",1718899200]}]}}"#, &r));
        assert!(m(r#"{"dynamodb":{"SizeBytes":[{"numeric":["<",-1]}, {"numeric":[">",40]}]}}"#, &r), "list is OR");
        // never on strings
        assert!(!m(r#"{"dynamodb":{"SequenceNumber":[{"numeric":[">",0]}]}}"#, &r));
        // missing field
        assert!(!m(r#"{"dynamodb":{"Nope":[{"numeric":[">",0]}]}}"#, &r));
    }

    #[test]
    fn exists_is_leaf_only() {
        assert!(m(r#"{"eventName":[{"exists":true}]}"#, &insert()));
        assert!(!m(r#"{"eventName":[{"exists":false}]}"#, &insert()));
        assert!(m(r#"{"userIdentity":[{"exists":false}]}"#, &insert()), "absent");
        assert!(m(r#"{"userIdentity":[{"exists":false}]}"#, &ttl_remove()), "object, not a leaf");
        assert!(!m(r#"{"userIdentity":[{"exists":true}]}"#, &ttl_remove()));
        assert!(m(r#"{"userIdentity":{"type":[{"exists":true}]}}"#, &ttl_remove()));
        // a missing parent: exists:false matches, anything else fails
        assert!(m(r#"{"dynamodb":{"NewImage":{"status":{"S":[{"exists":false}]}}}}"#, &remove()));
        assert!(!m(r#"{"dynamodb":{"NewImage":{"status":{"S":[{"exists":true}]}}}}"#, &remove()));
        // an empty set / list has no leaf
        assert!(m(r#"{"dynamodb":{"NewImage":{"x":{"L":[{"exists":false}]}}}}"#, &insert_with("x", json!({"L": []}))));
        // a list of wrappers has no leaf at `L` itself
        assert!(!m(
            r#"{"dynamodb":{"NewImage":{"x":{"L":[{"exists":true}]}}}}"#,
            &insert_with("x", json!({"L": [{"S": "a"}]}))
        ));
        // null is a leaf
        assert!(m(r#"{"dynamodb":{"NewImage":{"x":[{"exists":true}]}}}"#, &insert_with("x", Value::Null)));
    }

    #[test]
    fn prefix_suffix_ignore_case() {
        let r = insert();
        assert!(m(r#"{"eventSourceARN":[{"prefix":"arn:aws:dynamodb:us-east-1:"}]}"#, &r));
        assert!(!m(r#"{"eventSourceARN":[{"prefix":"ARN:"}]}"#, &r));
        assert!(m(r#"{"eventSourceARN":[{"prefix":{"equals-ignore-case":"ARN:AWS:"}}]}"#, &r));
        assert!(m(r#"{"eventSourceARN":[{"suffix":"16:00:00.123"}]}"#, &r));
        assert!(!m(r#"{"eventSourceARN":[{"suffix":"ORDERS"}]}"#, &r));
        assert!(m(r#"{"dynamodb":{"Keys":{"pk":{"S":[{"suffix":{"equals-ignore-case":"order#1"}}]}}}}"#, &r));
        assert!(m(r#"{"eventName":[{"equals-ignore-case":"insert"}]}"#, &r));
        assert!(!m(r#"{"eventName":[{"equals-ignore-case":"inser"}]}"#, &r));
        assert!(m(r#"{"eventName":[{"prefix":""}]}"#, &r), "empty prefix matches any string");
        // string operators never match numbers
        assert!(!m(r#"{"dynamodb":{"SizeBytes":[{"prefix":"4"}]}}"#, &r));
        assert!(!m(r#"{"dynamodb":{"SizeBytes":[{"equals-ignore-case":"48"}]}}"#, &r));
    }

    #[test]
    fn record_arrays_match_any_element() {
        let r = insert_with("colors", json!({"SS": ["red", "green"]}));
        assert!(m(r#"{"dynamodb":{"NewImage":{"colors":{"SS":["green"]}}}}"#, &r));
        assert!(m(r#"{"dynamodb":{"NewImage":{"colors":{"SS":[{"prefix":"re"}]}}}}"#, &r));
        assert!(!m(r#"{"dynamodb":{"NewImage":{"colors":{"SS":["blue"]}}}}"#, &r));
        assert!(m(r#"{"dynamodb":{"NewImage":{"colors":{"SS":[{"anything-but":"red"}]}}}}"#, &r));
        // a list of wrappers: the nested pattern must match one element
        let l = insert_with("items", json!({"L": [{"S": "a"}, {"N": "1"}]}));
        assert!(m(r#"{"dynamodb":{"NewImage":{"items":{"L":{"S":["a"]}}}}}"#, &l));
        assert!(m(r#"{"dynamodb":{"NewImage":{"items":{"L":{"N":["1"]}}}}}"#, &l));
        assert!(!m(r#"{"dynamodb":{"NewImage":{"items":{"L":{"S":["b"]}}}}}"#, &l));
        // the fields of one nested pattern come from the same element
        let people = insert_with(
            "people",
            json!({"L": [{"M": {"name": {"S": "ann"}, "age": {"N": "30"}}}, {"M": {"name": {"S": "bob"}, "age": {"N": "40"}}}]}),
        );
        assert!(m(
            r#"{"dynamodb":{"NewImage":{"people":{"L":{"M":{"name":{"S":["bob"]},"age":{"N":["40"]}}}}}}}"#,
            &people
        ));
        assert!(!m(
            r#"{"dynamodb":{"NewImage":{"people":{"L":{"M":{"name":{"S":["bob"]},"age":{"N":["30"]}}}}}}}"#,
            &people
        ));
    }

    #[test]
    fn every_named_field_must_exist() {
        assert!(!m(r#"{"eventName":["INSERT"],"nope":["x"]}"#, &insert()));
        assert!(!m(r#"{"dynamodb":{"NewImage":{"status":{"S":["open"]},"missing":{"S":["x"]}}}}"#, &insert()));
    }

    #[test]
    fn duplicate_keys_last_one_wins() {
        let p = r#"{"eventName":["MODIFY"],"eventName":["INSERT"]}"#;
        assert!(m(p, &insert()));
        assert!(!m(p, &modify()));
        // also inside an operator object
        let q = r#"{"eventName":[{"prefix":"MOD","prefix":"INS"}]}"#;
        assert!(m(q, &insert()));
        assert!(!m(q, &modify()));
    }

    // ---- parse and to_json ----------------------------------------------------------------

    #[test]
    fn empty_criteria_match_everything() {
        for v in [json!({}), json!({"Filters": []}), Value::Null, json!({"Filters": null})] {
            let c = FilterCriteria::parse(&v).unwrap();
            assert!(c.is_empty());
            assert!(c.matches(&insert()));
            assert!(c.matches(&json!("not even an object")));
            assert_eq!(c.to_json(), json!({}));
        }
    }

    #[test]
    fn to_json_round_trips_the_pattern_strings() {
        let p1 = r#"{ "eventName" : ["INSERT"] }"#;
        let p2 = r#"{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"ORDER#"}]}}}}"#;
        let c = criteria(&[p1, p2]);
        assert!(!c.is_empty());
        let j = c.to_json();
        assert_eq!(j, json!({"Filters": [{"Pattern": p1}, {"Pattern": p2}]}));
        assert_eq!(FilterCriteria::parse(&j).unwrap(), c);
    }

    #[test]
    fn invalid_json_is_rejected() {
        for p in ["single-string", r#"[{"eventName": ["INSERT"=123}]"#, "", "{", r#"{"eventName":["INSERT"],}"#] {
            assert_eq!(parse_err(&[p]), invalid(), "{p:?}");
        }
    }

    #[test]
    fn invalid_patterns_are_rejected() {
        let bad = [
            r#"["INSERT"]"#, // not an object
            r#""INSERT""#,
            "42",
            "null",
            "{}",                        // empty pattern
            r#"{"dynamodb":{}}"#,        // empty nested object
            r#"{"eventName":"INSERT"}"#, // bare scalar
            r#"{"eventName":42}"#,
            r#"{"eventName":null}"#,
            r#"{"eventName":[]}"#,                            // empty value list
            r#"{"eventName":[["INSERT"]]}"#,                  // nested array
            r#"{"eventName":[{}]}"#,                          // empty operator object
            r#"{"eventName":[{"prefix":"I","suffix":"T"}]}"#, // two operators in one object
            r#"{"eventName":[{"contains":"NS"}]}"#,           // unknown operator
            r#"{"eventName":[{"cidr":"10.0.0.0/24"}]}"#,
            r#"{"eventName":[{"exists":"true"}]}"#,
            r#"{"eventName":[{"prefix":1}]}"#,
            r#"{"eventName":[{"prefix":{"equals-ignore-case":1}}]}"#,
            r#"{"eventName":[{"prefix":{"suffix":"x"}}]}"#,
            r#"{"eventName":[{"suffix":null}]}"#,
            r#"{"eventName":[{"equals-ignore-case":["a"]}]}"#,
            r#"{"eventName":[{"anything-but":[]}]}"#,
            r#"{"eventName":[{"anything-but":["a",1]}]}"#,
            r#"{"eventName":[{"anything-but":true}]}"#,
            r#"{"eventName":[{"anything-but":null}]}"#,
            r#"{"eventName":[{"anything-but":[null]}]}"#,
            r#"{"eventName":[{"anything-but":{"numeric":[">",1]}}]}"#,
            r#"{"n":[{"numeric":[]}]}"#,
            r#"{"n":[{"numeric":[">"]}]}"#,
            r#"{"n":[{"numeric":[">","1"]}]}"#,
            r#"{"n":[{"numeric":["!=",1]}]}"#,
            r#"{"n":[{"numeric":[">",1,">",2]}]}"#,
            r#"{"n":[{"numeric":["<",1,"<=",2]}]}"#,
            r#"{"n":[{"numeric":["=",1,"<",2]}]}"#,
            r#"{"n":[{"numeric":[">",5,"<",1]}]}"#,
            r#"{"n":[{"numeric":[">",1,"<",1]}]}"#,
            r#"{"n":[{"numeric":[">",1,"<",2,">",0]}]}"#,
            r#"{"n":[{"numeric":5}]}"#,
            r#"{"$or":[{"eventName":["INSERT"]}]}"#, // $or needs two alternatives
            r#"{"$or":[]}"#,
            r#"{"$or":{"eventName":["INSERT"]}}"#,
            r#"{"$or":[{"eventName":["INSERT"]},["x"]]}"#,
            r#"{"$or":[{"eventName":["INSERT"]},{}]}"#,
            r#"{"eventName":[{"$or":[{"a":["b"]},{"c":["d"]}]}]}"#,
        ];
        for p in bad {
            assert_eq!(parse_err(&[p]), invalid(), "{p}");
        }
        // one bad filter spoils the whole criteria
        assert_eq!(parse_err(&[r#"{"eventName":["INSERT"]}"#, "{}"]), invalid());
    }

    #[test]
    fn unsupported_operators_are_rejected() {
        for p in [
            r#"{"eventName":[{"wildcard":"INS*"}]}"#,
            r#"{"eventName":[{"anything-but":{"prefix":"INS"}}]}"#,
            r#"{"eventName":[{"anything-but":{"suffix":"ERT"}}]}"#,
            r#"{"eventName":[{"anything-but":{"equals-ignore-case":"insert"}}]}"#,
            r#"{"eventName":[{"anything-but":{"wildcard":"*"}}]}"#,
        ] {
            assert_eq!(parse_err(&[p]), invalid(), "{p}");
        }
    }

    #[test]
    fn malformed_criteria_shapes_are_rejected() {
        for v in [
            json!("x"),
            json!([]),
            json!({"Filters": {}}),
            json!({"Filters": "x"}),
            json!({"Filters": [1]}),
            json!({"Filters": [{}]}),
            json!({"Filters": [{"Pattern": {"eventName": ["INSERT"]}}]}),
            json!({"Filters": [{"Pattern": null}]}),
        ] {
            let e = FilterCriteria::parse(&v).unwrap_err();
            assert_eq!((e.kind.as_str().to_string(), e.message), invalid(), "{v}");
        }
    }

    #[test]
    fn more_than_five_filters_is_rejected() {
        let p = r#"{"eventName":["INSERT"]}"#;
        assert_eq!(criteria(&[p; 5]).filters.len(), 5);
        let (kind, message) = parse_err(&[p; 6]);
        assert_eq!(kind, "InvalidParameterValueException");
        assert!(message.contains('5') && message.contains('6'), "{message}");
    }

    fn pattern_of_len(n: usize) -> String {
        let head = r#"{"eventName":[""#;
        let tail = r#""]}"#;
        format!("{head}{}{tail}", "a".repeat(n - head.len() - tail.len()))
    }

    #[test]
    fn pattern_length_limit() {
        let ok = pattern_of_len(4096);
        assert_eq!(ok.chars().count(), 4096);
        assert!(!criteria(&[&ok]).matches(&insert()));
        let long = pattern_of_len(4097);
        let (kind, message) = parse_err(&[&long]);
        assert_eq!(kind, "ValidationException");
        assert_eq!(
            message,
            format!(
                "1 validation error detected: Value '{long}' at 'filterCriteria.filters.1.member.pattern' \
                 failed to satisfy constraint: Member must have length less than or equal to 4096"
            )
        );
        // every over-long pattern is reported, with its 1-based index
        let (_, message) = parse_err(&[&long, r#"{"a":["b"]}"#, &long]);
        assert!(message.starts_with("2 validation errors detected: Value '"), "{message}");
        assert!(message.contains("filters.1.member.pattern") && message.contains("filters.3.member.pattern"));
        // the length check runs before the filter count and before parsing
        let mut many = vec![r#"{"a":["b"]}"#; 6];
        many.push(&long);
        assert_eq!(parse_err(&many).0, "ValidationException");
        // length counts characters, not bytes
        let multibyte = pattern_of_len(4096).replace('a', "é");
        assert_eq!(multibyte.chars().count(), 4096);
        assert!(FilterCriteria::parse(&json!({"Filters": [{"Pattern": multibyte}]})).is_ok());
    }

    fn nested_pattern(depth: usize) -> String {
        // depth objects: {"a":{"a":...{"a":["x"]}...}}
        format!("{}[\"x\"]{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    }

    #[test]
    fn pattern_depth_is_capped() {
        let ok = nested_pattern(MAX_PATTERN_DEPTH);
        let c = criteria(&[&ok]);
        let mut record = json!("x");
        for _ in 0..MAX_PATTERN_DEPTH {
            record = json!({ "a": record });
        }
        assert!(c.matches(&record));
        assert_eq!(parse_err(&[&nested_pattern(MAX_PATTERN_DEPTH + 1)]), invalid());
        // far beyond serde_json's own recursion limit: still a clean error
        assert_eq!(parse_err(&[&nested_pattern(200)]), invalid());
        // `$or` nesting counts too
        let mut or = r#"{"a":["x"]}"#.to_string();
        for _ in 0..MAX_PATTERN_DEPTH {
            or = format!(r#"{{"$or":[{or},{{"b":["y"]}}]}}"#);
        }
        assert_eq!(parse_err(&[&or]), invalid());
    }

    #[test]
    fn deep_records_do_not_overflow() {
        // A record far deeper than any pattern, built without recursion.
        let mut deep = json!("x");
        for _ in 0..5000 {
            deep = Value::Array(vec![deep]);
        }
        // (not `json!`, which would serialize `deep` recursively)
        let mut obj = Map::new();
        obj.insert("eventName".to_string(), json!("INSERT"));
        obj.insert("a".to_string(), deep);
        let record = Value::Object(obj);
        for p in
            [r#"{"a":["x"]}"#, r#"{"a":[{"exists":false}]}"#, r#"{"a":{"b":["x"]}}"#, r#"{"a":[{"anything-but":"y"}]}"#]
        {
            let _ = m(p, &record);
        }
        // within the flattening depth a nested array element is found
        let shallow = json!({ "a": [[["x"]]] });
        assert!(m(r#"{"a":["x"]}"#, &shallow));
        // dropping the record recursively is serde_json's business; dismantle it iteratively
        let mut v = record;
        let mut stack = vec![v.take()];
        while let Some(mut x) = stack.pop() {
            match &mut x {
                Value::Array(a) => stack.append(a),
                Value::Object(o) => stack.extend(std::mem::take(o).into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }

    #[test]
    fn non_object_records_only_match_absence() {
        let c = criteria(&[r#"{"eventName":[{"exists":false}]}"#]);
        assert!(c.matches(&json!([1, 2])));
        assert!(c.matches(&Value::Null));
        assert!(!criteria(&[r#"{"eventName":["INSERT"]}"#]).matches(&json!("INSERT")));
    }

    // ---- property tests -------------------------------------------------------------------

    fn arb_scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
            prop::sample::select(vec!["", "a", "A", "INSERT", "open", "ORDER#1", "é", "S", "N"]).prop_map(|s| json!(s)),
            ".{0,6}".prop_map(Value::String),
        ]
    }

    fn arb_key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "eventName",
            "dynamodb",
            "NewImage",
            "S",
            "N",
            "SS",
            "L",
            "M",
            "a",
            "$or",
            "exists",
            "prefix",
            "suffix",
            "numeric",
            "anything-but",
            "equals-ignore-case",
            "wildcard",
        ])
        .prop_map(String::from)
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        arb_scalar().prop_recursive(6, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((arb_key(), inner), 0..5).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// Values shaped like patterns: objects of operator lists, `$or`s and nested objects.
    fn arb_pattern() -> impl Strategy<Value = Value> {
        let op = prop_oneof![
            arb_scalar(),
            any::<bool>().prop_map(|b| json!({ "exists": b })),
            ".{0,3}".prop_map(|s| json!({ "prefix": s })),
            ".{0,3}".prop_map(|s| json!({ "suffix": { "equals-ignore-case": s } })),
            ".{0,3}".prop_map(|s| json!({ "equals-ignore-case": s })),
            prop::collection::vec(arb_scalar(), 0..3).prop_map(|v| json!({ "anything-but": v })),
            (
                prop::sample::select(vec!["=", "<", "<=", ">", ">=", "?"]),
                arb_scalar(),
                prop::sample::select(vec!["<", ">", "="]),
                -100i64..100
            )
                .prop_map(|(a, x, b, y)| json!({ "numeric": [a, x, b, y] })),
            (prop::sample::select(vec!["=", "<", ">="]), -1e10f64..1e10)
                .prop_map(|(a, x)| json!({ "numeric": [a, x] })),
        ];
        let leaf = prop::collection::vec(op, 1..4).prop_map(Value::Array);
        // field names that occur in records, so that valid patterns also match sometimes
        let field = || {
            prop::sample::select(vec![
                "eventName",
                "eventSource",
                "awsRegion",
                "userIdentity",
                "type",
                "dynamodb",
                "Keys",
                "NewImage",
                "OldImage",
                "SizeBytes",
                "ApproximateCreationDateTime",
                "pk",
                "status",
                "tags",
                "S",
                "N",
                "SS",
                "a",
            ])
            .prop_map(String::from)
        };
        leaf.prop_recursive(5, 40, 4, move |inner| {
            prop_oneof![
                3 => prop::collection::vec((field(), inner.clone()), 1..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                1 => prop::collection::vec(
                    prop::collection::vec((field(), inner), 1..3).prop_map(|kv| Value::Object(kv.into_iter().collect())),
                    1..4
                )
                .prop_map(|alts| json!({ "$or": alts })),
            ]
        })
    }

    fn fixed_records() -> Vec<Value> {
        vec![insert(), modify(), remove(), ttl_remove()]
    }

    /// Guards the property tests below against testing only the parser's error paths.
    #[test]
    fn pattern_generator_yields_valid_patterns() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = arb_pattern();
        let (mut valid, mut matched) = (0, 0);
        for _ in 0..500 {
            let p = strategy.new_tree(&mut runner).unwrap().current().to_string();
            if let Ok(c) = FilterCriteria::parse(&json!({"Filters": [{"Pattern": p}]})) {
                valid += 1;
                if fixed_records().iter().any(|r| c.matches(r)) {
                    matched += 1;
                }
            }
        }
        assert!(valid >= 50, "only {valid} of 500 generated patterns were valid");
        assert!(matched >= 5, "only {matched} valid patterns matched a record");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn random_json_patterns_never_panic(pattern in arb_value(), record in arb_value()) {
            let text = pattern.to_string();
            if let Ok(c) = FilterCriteria::parse(&json!({"Filters": [{"Pattern": text}]})) {
                let _ = c.matches(&record);
                for r in fixed_records() {
                    let _ = c.matches(&r);
                }
                prop_assert_eq!(FilterCriteria::parse(&c.to_json()).unwrap(), c);
            }
        }

        #[test]
        fn pattern_shaped_values_never_panic(pattern in arb_pattern(), record in arb_value()) {
            let text = pattern.to_string();
            if let Ok(c) = FilterCriteria::parse(&json!({"Filters": [{"Pattern": text}]})) {
                let _ = c.matches(&record);
                for r in fixed_records() {
                    let _ = c.matches(&r);
                }
            }
        }

        #[test]
        fn arbitrary_text_and_criteria_never_panic(text in ".{0,64}", criteria in arb_value()) {
            let _ = FilterCriteria::parse(&json!({"Filters": [{"Pattern": text}]}));
            let _ = FilterCriteria::parse(&criteria);
            let _ = FilterCriteria::parse(&json!({"Filters": criteria}));
        }

        #[test]
        fn exists_false_is_the_negation_of_exists_true(path in prop::collection::vec(arb_key(), 1..4), record in arb_value()) {
            let build = |b: bool| {
                let mut p = json!([{ "exists": b }]);
                for k in path.iter().rev() {
                    p = json!({ k.clone(): p });
                }
                p.to_string()
            };
            let (t, f) = (FilterCriteria::parse(&json!({"Filters": [{"Pattern": build(true)}]})),
                          FilterCriteria::parse(&json!({"Filters": [{"Pattern": build(false)}]})));
            if let (Ok(t), Ok(f)) = (t, f) {
                // only meaningful when no array sits on the path (arrays match per element)
                let mut cur = Some(&record);
                let mut has_array = false;
                for k in &path {
                    if let Some(Value::Array(_)) = cur { has_array = true; }
                    cur = cur.and_then(|v| v.get(k.as_str()));
                }
                if !has_array {
                    prop_assert_ne!(t.matches(&record), f.matches(&record));
                }
            }
        }
    }

    // ---- explanations of a record that no filter matched ----------------------------------

    fn why(patterns: &[&str], record: &Value) -> Vec<String> {
        criteria(patterns).explain(record)
    }

    fn modify_with_qty(qty: Value) -> Value {
        json!({"eventName": "MODIFY", "dynamodb": {"Keys": {"pk": {"S": "a"}}, "NewImage": {"pk": {"S": "a"}, "qty": qty}}})
    }

    #[test]
    fn a_matching_record_has_no_explanation() {
        let rec = modify_with_qty(json!({"N": "3"}));
        assert!(why(&[r#"{"eventName": ["MODIFY"]}"#], &rec).is_empty());
        assert!(FilterCriteria::default().explain(&rec).is_empty());
    }

    #[test]
    fn explanations_name_the_first_place_a_filter_failed() {
        let rec = modify_with_qty(json!({"N": "3"}));
        // A value not in the list.
        assert_eq!(
            why(&[r#"{"eventName": ["INSERT", "REMOVE"]}"#], &rec),
            [r#"Filter 1: eventName is "MODIFY"; the pattern wants one of: "INSERT"; "REMOVE""#]
        );
        // A field the record does not have.
        let w = why(&[r#"{"dynamodb": {"OldImage": {"qty": {"N": ["3"]}}}}"#], &rec);
        assert_eq!(w, ["Filter 1: the record has no dynamodb.OldImage (the pattern needs it)"]);
        // A type wrapper that differs: the pattern asks for a string, the record has a number.
        let w = why(&[r#"{"dynamodb": {"NewImage": {"qty": {"S": ["3"]}}}}"#], &rec);
        assert_eq!(w, ["Filter 1: dynamodb.NewImage.qty is a number ({\"N\": ...}) in the record, but the pattern looks for a string ({\"S\": ...}): DynamoDB's type wrappers must match"]);
        // A numeric filter on a DynamoDB number, which the record carries as text.
        let w = why(&[r#"{"dynamodb": {"NewImage": {"qty": {"N": [{"numeric": [">", 1]}]}}}}"#], &rec);
        assert!(w[0].contains("DynamoDB sends numbers as text") && w[0].contains("never matches text"), "{w:?}");
        // A number outside a range (ApproximateCreationDateTime is a real number).
        let rec2 = json!({"eventName": "INSERT", "dynamodb": {"ApproximateCreationDateTime": 1718899200.0}});
        let w = why(&[r#"{"dynamodb": {"ApproximateCreationDateTime": [{"numeric": ["<", 1000]}]}}"#], &rec2);
        assert_eq!(
            w,
            ["Filter 1: dynamodb.ApproximateCreationDateTime is 1718899200.0; the pattern wants a number < 1000"]
        );
        // Two filters: one sentence each, numbered.
        let w = why(&[r#"{"eventName": ["INSERT"]}"#, r#"{"eventName": [{"prefix": "REM"}]}"#], &rec);
        assert_eq!(
            w,
            [
                r#"Filter 1: eventName is "MODIFY"; the pattern wants "INSERT""#,
                r#"Filter 2: eventName is "MODIFY"; the pattern wants text starting with "REM""#
            ]
        );
        // $or: each alternative's reason.
        let w =
            why(&[r#"{"$or": [{"eventName": ["INSERT"]}, {"dynamodb": {"NewImage": {"qty": {"N": ["9"]}}}}]}"#], &rec);
        assert!(
            w[0].starts_with("Filter 1: no alternative of $or matches: (1) eventName is \"MODIFY\"")
                && w[0].contains("(2) dynamodb.NewImage.qty.N is \"3\""),
            "{w:?}"
        );
        // exists: false on a field that is there.
        let w = why(&[r#"{"dynamodb": {"NewImage": {"qty": {"N": [{"exists": false}]}}}}"#], &rec);
        assert_eq!(w, [r#"Filter 1: dynamodb.NewImage.qty.N is "3"; the pattern wants absent"#]);
    }

    proptest! {
        /// Every record a filter rejects gets one sentence per filter; a record it accepts gets none.
        #[test]
        fn explanations_exist_exactly_for_rejected_records(p in arb_pattern(), r in arb_value()) {
            let c = FilterCriteria::parse(&json!({"Filters": [{"Pattern": p.to_string()}]}));
            if let Ok(c) = c {
                for r in fixed_records().into_iter().chain([r]) {
                    let w = c.explain(&r);
                    prop_assert_eq!(w.is_empty(), c.matches(&r));
                    prop_assert!(w.iter().all(|s| !s.contains("should not happen")), "{:?}", w);
                }
            }
        }
    }
}
