use super::*;
use crate::model::Number;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

fn s(x: &str) -> AttributeValue {
    AttributeValue::S(x.to_string())
}
fn n(x: &str) -> AttributeValue {
    AttributeValue::N(Number::parse(x).unwrap())
}
fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// A one-table simulator: each write becomes the record a stream of `view` would carry.
struct Sim {
    prog: Program,
    view: ViewType,
    hash: &'static str,
    table: BTreeMap<String, Item>,
    aggs: Aggregates,
    seq: u64,
}

impl Sim {
    fn new(src: &str, view: ViewType, hash: &'static str) -> Sim {
        Sim { prog: parse(src).unwrap(), view, hash, table: BTreeMap::new(), aggs: Aggregates::default(), seq: 0 }
    }

    fn write(&mut self, key: &str, new: Option<Item>, ttl: bool) -> Result<Vec<Effect>, String> {
        let old = match &new {
            Some(item) => self.table.insert(key.to_string(), item.clone()),
            None => self.table.remove(key),
        };
        let event = match (&old, &new) {
            (None, None) => return Ok(vec![]),
            (None, Some(_)) => "INSERT",
            (Some(_), Some(_)) => "MODIFY",
            (Some(_), None) => "REMOVE",
        };
        let keys = item(&[(self.hash, s(key))]);
        let new_image = new.as_ref().filter(|_| self.view.has_new());
        let old_image = old.as_ref().filter(|_| self.view.has_old());
        self.seq += 1;
        let seq = format!("{:021}", self.seq);
        let rec = RecordView { event_name: event, ttl, keys: &keys, new_image, old_image, sequence_number: &seq };
        self.prog.run(&rec, &mut self.aggs).map_err(|f| f.reason)
    }

    fn put(&mut self, key: &str, attrs: &[(&str, AttributeValue)]) -> Vec<Effect> {
        let mut it = item(attrs);
        it.insert(self.hash.to_string(), s(key));
        self.write(key, Some(it), false).unwrap()
    }

    fn delete(&mut self, key: &str) -> Vec<Effect> {
        self.write(key, None, false).unwrap()
    }

    fn expire(&mut self, key: &str) -> Vec<Effect> {
        self.write(key, None, true).unwrap()
    }

    fn json(&self) -> serde_json::Value {
        self.aggs.to_json()
    }
}

fn err(src: &str) -> Diagnostic {
    match parse(src) {
        Ok(_) => panic!("expected a syntax error in {src:?}"),
        Err(d) => d,
    }
}

const SKETCH: &str = r##"-- count votes per choice
on INSERT, MODIFY, REMOVE
  count votes by choice

on MODIFY when new.qty < 5 and old.qty >= 5
  notify "#ops" "Stock of {keys.sku} dropped to {new.qty}"

on INSERT when begins_with(new.email, "admin")
  put Audit { id: keys.id, note: "admin signup" }

on MODIFY when changed(status)
  update Totals key { pk: new.status } add n 1 set last = new.ts

on REMOVE when ttl
  notify "#sessions" "Session {keys.id} expired"

on INSERT when new.amount > 1000
  fail "amount too large"
"##;

// ---------- parsing ----------

#[test]
fn empty_and_comment_only_sources_do_nothing() {
    for src in ["", "   \n\t\n", "-- nothing yet\n// still nothing\n"] {
        let p = parse(src).unwrap();
        assert!(p.is_empty());
        assert!(p.aggregate_names().is_empty());
        let keys = item(&[("id", s("a"))]);
        let rec = RecordView {
            event_name: "INSERT",
            ttl: false,
            keys: &keys,
            new_image: Some(&keys),
            old_image: None,
            sequence_number: "1",
        };
        let mut aggs = Aggregates::default();
        assert_eq!(p.run(&rec, &mut aggs), Ok(vec![]));
        assert_eq!(aggs.to_json(), json!({}));
        assert!(ViewType::ALL.iter().all(|v| p.warnings(*v).is_empty()));
    }
}

#[test]
fn the_sketch_parses() {
    let p = parse(SKETCH).unwrap();
    assert_eq!(p.rule_count(), 6);
    assert_eq!(p.aggregate_names(), vec!["votes".to_string()]);
    assert!(!p.is_empty());
    assert!(p.warnings(ViewType::NewAndOldImages).is_empty());
}

#[test]
fn every_construct_parses() {
    let src = r##"
on insert, modify, remove, ttl when not (new.a = 1 or new.b != "x") and exists(keys.id)
  count n
  count open by region where status = "open"
  sum stock of qty by sku
  min low of price by address.city
  max high of price where contains(tags, "hot")
  avg mean of scores[0] by keys.pk
  average mean2 of price
  notify "#ch" "{{literal}} {new[\"odd name\"]} {event} {ttl}"
  put "my-table.v2" { id: keys.id, n: -1.5e2, ok: true, none: null, }
  update Totals key { pk: "all" } add n 1, total new.amount set last = new.ts, "who am" = keys.id
  delete Audit key { id: keys.id }
  delete Audit { id: keys.id }
  fail "no {new.x}"
ON MODIFY WHEN changed(address.city) AND new.n <> old.n AND new.n == 2 OR new.n <= 1 OR new.n >= 3 OR new.n > 4 OR new.n < 5
  notify "c" "m"
"##;
    let p = parse(src).unwrap();
    assert_eq!(p.rule_count(), 2);
    assert_eq!(p.aggregate_names(), ["n", "open", "stock", "low", "high", "mean", "mean2"]);
    assert_eq!(p.aggregate_kinds()[3], ("low".to_string(), AggKind::Min));
}

// ---------- syntax errors ----------

#[test]
fn syntax_error_names_line_and_column_with_a_caret() {
    let src = "on INSERT\n  notify \"#ops\"\n";
    let d = err(src);
    assert_eq!((d.line, d.column), (2, 16));
    assert_eq!(d.message, "expected a message in double quotes after the channel, found end of input");
    assert_eq!(
        d.render(src),
        "line 2, column 16: expected a message in double quotes after the channel, found end of input\n    notify \"#ops\"\n                 ^"
    );
}

#[test]
fn unknown_event_is_pointed_at() {
    let src = "-- votes\non INSERT, UPSERT\n  count votes";
    let d = err(src);
    assert_eq!((d.line, d.column), (2, 12));
    assert_eq!(d.message, "expected an event (INSERT, MODIFY, REMOVE or TTL), found `UPSERT`");
    assert_eq!(d.render(src), "line 2, column 12: expected an event (INSERT, MODIFY, REMOVE or TTL), found `UPSERT`\n  on INSERT, UPSERT\n             ^");
}

#[test]
fn incomplete_condition_points_at_the_next_keyword() {
    let d = err("on INSERT when new.qty <\n  count x");
    assert_eq!((d.line, d.column), (2, 3));
    assert_eq!(d.message, "expected a value or a condition, found the keyword `count`");
}

#[test]
fn bare_names_must_say_their_image_outside_aggregates() {
    let d = err("on INSERT when qty > 1\n  count x");
    assert_eq!((d.line, d.column), (1, 16));
    assert_eq!(d.message, "`qty` alone does not say which image to read: write new.qty, old.qty or keys.qty");
}

#[test]
fn images_inside_aggregates_are_explained() {
    let d = err("on INSERT\n  count votes by new.choice");
    assert_eq!((d.line, d.column), (2, 18));
    assert!(
        d.message.starts_with("inside an aggregate write the bare attribute name (`choice`, not `new.choice`)"),
        "{}",
        d.message
    );
}

#[test]
fn hash_outside_a_string_explains_comments() {
    let src = "# count votes\non INSERT count v";
    let d = err(src);
    assert_eq!((d.line, d.column), (1, 1));
    assert!(d.message.contains("comments start with `--`"));
    assert_eq!(d.render(src).lines().nth(2), Some("  ^"));
}

#[test]
fn unterminated_string_points_at_its_quote() {
    let d = err("on INSERT\n  notify \"#ops\" \"Stock low");
    assert_eq!((d.line, d.column), (2, 17));
    assert!(d.message.starts_with("this string is never closed"));
}

#[test]
fn template_errors_point_inside_the_string() {
    let src = "on INSERT notify \"#ops\" \"qty {new.} left\"";
    let d = err(src);
    // `"qty {new.}` : the string opens at column 25, `new` is at 31, the end of `new.` at 35.
    assert_eq!((d.line, d.column), (1, 35));
    assert_eq!(d.message, "expected an attribute name after `.`, found end of input");
    let d = err("on INSERT notify \"#ops\" \"qty {new.qty left\"");
    assert_eq!((d.line, d.column), (1, 30));
    assert!(d.message.starts_with("this `{` is never closed"));
    let d = err("on INSERT notify \"#ops\" \"qty {qty}\"");
    assert_eq!((d.line, d.column), (1, 31));
}

#[test]
fn missing_action_and_misplaced_tokens() {
    let d = err("on INSERT when new.a = 1");
    assert_eq!((d.line, d.column), (1, 25));
    assert!(d.message.starts_with("expected an action (count, sum,"));
    let d = err("count votes");
    assert_eq!((d.line, d.column), (1, 1));
    assert_eq!(d.message, "expected `on` to start a rule (like `on INSERT`), found `count`");
    let d = err("on INSERT tally votes");
    assert_eq!(
        d.message,
        "unknown action `tally`: the actions are count, sum, min, max, avg, notify, put, update, delete or fail"
    );
    let d = err("on INSERT count votes of qty");
    assert_eq!((d.line, d.column), (1, 23));
    let d = err("on INSERT sum stock by sku");
    assert!(d.message.starts_with("expected `of` and the value to sum"), "{}", d.message);
    let d = err("on INSERT update T key { pk: keys.id }");
    assert!(d.message.starts_with("expected `add` or `set`"));
    let d = err("on INSERT when unknown_fn(new.a) count x");
    assert!(d.message.starts_with("unknown function `unknown_fn`"));
    let d = err("on INSERT when new.a = 'x' count x");
    assert_eq!(d.message, "strings use double quotes: \"like this\"");
    let d = err("on INSERT put T { a: 1, a: 2 }");
    assert_eq!((d.line, d.column), (1, 25));
    let d = err("on INSERT when new.n = 1e999 count x");
    assert!(d.message.starts_with("1e999 is not a DynamoDB number"), "{}", d.message);
}

#[test]
fn one_name_is_one_kind_of_aggregate() {
    let d = err("on INSERT count votes\non REMOVE sum votes of n");
    assert_eq!((d.line, d.column), (2, 15));
    assert_eq!(d.message, "`votes` is already a count (line 1): give this sum another name");
    // The same aggregate fed by two rules is fine.
    assert!(parse("on INSERT count votes by choice\non REMOVE count votes by choice").is_ok());
}

#[test]
fn nesting_is_capped() {
    let deep = format!("on INSERT when {}new.a = 1{} count x", "(".repeat(100), ")".repeat(100));
    assert!(err(&deep).message.starts_with("expression nested too deeply"));
    let nots = format!("on INSERT when {} new.a = 1 count x", "not ".repeat(100));
    assert!(err(&nots).message.starts_with("expression nested too deeply"));
    let ok = format!("on INSERT when {}new.a = 1{} count x", "(".repeat(30), ")".repeat(30));
    assert!(parse(&ok).is_ok());
    let calls = format!("on INSERT when {}new.a{} count x", "exists(".repeat(40), ")".repeat(40));
    assert!(err(&calls).message.starts_with("expression nested too deeply"));
    // Long and/or chains are flat: they do not nest, so they cannot overflow the stack.
    let chain = vec!["new.a = 1"; 20_000].join(" and ");
    let long = format!("on INSERT when {chain} or {chain}\n  count x");
    run_everywhere(&parse(&long).unwrap());
}

#[test]
fn render_handles_tabs_and_positions_past_the_end() {
    let d = Diagnostic { line: 1, column: 3, message: "m".into() };
    assert_eq!(d.render("\tx?"), "line 1, column 3: m\n  \tx?\n  \t ^");
    let d = Diagnostic { line: 9, column: 4, message: "m".into() };
    assert_eq!(d.render("a"), "line 9, column 4: m\n  \n     ^");
}

// ---------- warnings ----------

#[test]
fn vote_tally_warnings_per_view_type() {
    let src = "-- votes\non INSERT, MODIFY, REMOVE\n  count votes by choice\n";
    let p = parse(src).unwrap();
    assert!(p.warnings(ViewType::NewAndOldImages).is_empty());

    let w = p.warnings(ViewType::NewImage);
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].line, w[0].column), (3, 18));
    assert_eq!(
        w[0].message,
        "`count votes` reads old.choice to take the old version out, but a NEW_IMAGE stream carries no old image: on MODIFY and REMOVE this tally cannot go down"
    );
    assert_eq!(
        w[0].render(src),
        "line 3, column 18: `count votes` reads old.choice to take the old version out, but a NEW_IMAGE stream carries no old image: on MODIFY and REMOVE this tally cannot go down\n    count votes by choice\n                   ^"
    );

    let w = p.warnings(ViewType::OldImage);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].message,
        "`count votes` reads new.choice to add the new version, but an OLD_IMAGE stream carries no new image: on INSERT and MODIFY this tally cannot go up"
    );

    let w = p.warnings(ViewType::KeysOnly);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].message,
        "`count votes` reads choice, but a KEYS_ONLY stream carries no images at all: this tally never changes (only keys.* can be read)"
    );
}

#[test]
fn aggregate_warnings_follow_the_rules_events() {
    // Insert-only tallies never need the old image.
    let p = parse("on INSERT count signups by plan").unwrap();
    assert!(p.warnings(ViewType::NewImage).is_empty());
    // Plain counts need no image at all.
    let p = parse("on INSERT, REMOVE count items").unwrap();
    assert!(ViewType::ALL.iter().all(|v| p.warnings(*v).is_empty()));
    // Keys are always there.
    let p = parse("on INSERT, MODIFY, REMOVE count items by keys.tenant").unwrap();
    assert!(ViewType::ALL.iter().all(|v| p.warnings(*v).is_empty()));
    let p = parse("on INSERT, REMOVE sum stock of qty by sku").unwrap();
    let w = p.warnings(ViewType::NewImage);
    assert_eq!(
        w[0].message,
        "`sum stock` reads old.qty and old.sku to take the old version out, but a NEW_IMAGE stream carries no old image: on REMOVE old amounts are never subtracted from this total"
    );
}

#[test]
fn explicit_image_reads_warn_per_view_type() {
    let src = "on MODIFY when new.qty < 5 and old.qty >= 5\n  notify \"#ops\" \"{keys.sku}: {new.qty}\"";
    let p = parse(src).unwrap();
    assert!(p.warnings(ViewType::NewAndOldImages).is_empty());
    let w = p.warnings(ViewType::NewImage);
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].line, w[0].column), (1, 32));
    assert_eq!(w[0].message, "reads old.qty, but a NEW_IMAGE stream carries no old image: old.qty is always absent");
    let w = p.warnings(ViewType::OldImage);
    assert_eq!(w.iter().map(|d| (d.line, d.column)).collect::<Vec<_>>(), [(1, 16), (2, 31)]);
    let w = p.warnings(ViewType::KeysOnly);
    assert_eq!(w.len(), 3);
    assert!(w[0].message.contains("carries no images at all"));
}

#[test]
fn reads_the_rules_own_events_cannot_satisfy_warn_under_every_view() {
    let p = parse("on REMOVE notify \"#x\" \"gone: {new.name}\"").unwrap();
    for v in ViewType::ALL {
        let w = p.warnings(v);
        assert_eq!(w.len(), 1, "{v:?}");
        assert_eq!(w[0].message, "reads new.name, but this rule handles only REMOVE, which never carries a new image: new.name is always absent here");
    }
    let p = parse("on INSERT when changed(status) notify \"#x\" \"y\"").unwrap();
    let w = p.warnings(ViewType::NewAndOldImages);
    assert_eq!(
        w[0].message,
        "changed(status) can only be true on MODIFY, but this rule handles only INSERT: it is always false here"
    );
    let p = parse("on MODIFY when changed(status) notify \"#x\" \"y\"").unwrap();
    assert!(p.warnings(ViewType::NewAndOldImages).is_empty());
    assert_eq!(
        p.warnings(ViewType::NewImage)[0].message,
        "changed(status) compares the old and new images, but a NEW_IMAGE stream carries no old image: it is always false"
    );
}

// ---------- aggregates ----------

const VOTES: &str = "on INSERT, MODIFY, REMOVE\n  count votes by choice";

fn vote_sequence(view: ViewType) -> Sim {
    let mut sim = Sim::new(VOTES, view, "voter");
    sim.put("ana", &[("choice", s("tea"))]);
    sim.put("ben", &[("choice", s("coffee"))]);
    sim.put("cy", &[("choice", s("tea"))]);
    sim.put("ana", &[("choice", s("coffee"))]); // ana changes her vote
    sim.put("cy", &[("choice", s("tea")), ("at", n("3"))]); // a MODIFY that keeps the vote
    sim.delete("ben"); // ben retracts
    sim
}

#[test]
fn votes_are_right_with_new_and_old_images() {
    let sim = vote_sequence(ViewType::NewAndOldImages);
    assert_eq!(sim.json(), json!({"votes": {"coffee": 1, "tea": 1}}));
    assert_eq!(sim.aggs.count("votes", "tea"), 1);
    assert_eq!(sim.aggs.value("votes", "coffee"), Some(json!(1)));
    let mut sim = sim;
    sim.delete("ana");
    sim.delete("cy");
    // Groups whose count reaches 0 disappear.
    assert_eq!(sim.json(), json!({"votes": {}}));
}

#[test]
fn votes_under_new_image_only_go_up() {
    // Wrong but honest: the old side is never subtracted. ana's switch adds coffee without
    // taking tea back, cy's unchanged MODIFY counts tea again, ben's retraction is lost.
    let sim = vote_sequence(ViewType::NewImage);
    assert_eq!(sim.json(), json!({"votes": {"coffee": 2, "tea": 3}}));
}

#[test]
fn votes_under_old_image_only_go_down_and_keys_only_never_move() {
    let sim = vote_sequence(ViewType::OldImage);
    assert_eq!(sim.json(), json!({"votes": {"coffee": -1, "tea": -2}}));
    let sim = vote_sequence(ViewType::KeysOnly);
    assert_eq!(sim.json(), json!({"votes": {}}));
}

#[test]
fn ungrouped_counts_need_no_image() {
    for view in ViewType::ALL {
        let mut sim = Sim::new("on INSERT, MODIFY, REMOVE count items", view, "id");
        sim.put("a", &[]);
        sim.put("b", &[]);
        sim.put("a", &[("x", n("1"))]);
        sim.delete("b");
        assert_eq!(sim.json(), json!({"items": {"*": 1}}), "{view:?}");
    }
}

#[test]
fn stock_levels_with_sum() {
    let mut sim = Sim::new("on INSERT, MODIFY, REMOVE sum stock of qty by warehouse", ViewType::NewAndOldImages, "sku");
    sim.put("apple", &[("warehouse", s("north")), ("qty", n("10"))]);
    sim.put("pear", &[("warehouse", s("north")), ("qty", n("2.5"))]);
    sim.put("plum", &[("warehouse", s("south")), ("qty", n("7"))]);
    assert_eq!(sim.json(), json!({"stock": {"north": 12.5, "south": 7}}));
    sim.put("apple", &[("warehouse", s("north")), ("qty", n("4"))]); // sold 6
    sim.put("plum", &[("warehouse", s("north")), ("qty", n("7"))]); // moved
    assert_eq!(sim.json(), json!({"stock": {"north": 13.5}}));
    // A value that is not a number takes no part (on either side).
    sim.put("kiwi", &[("warehouse", s("north")), ("qty", s("lots"))]);
    assert_eq!(sim.json(), json!({"stock": {"north": 13.5}}));
    sim.delete("kiwi");
    sim.delete("pear");
    assert_eq!(sim.json(), json!({"stock": {"north": 11}}));
    // Exact decimals: 0.1 + 0.2 is 0.3.
    let mut sim = Sim::new("on INSERT sum t of v", ViewType::NewImage, "id");
    sim.put("a", &[("v", n("0.1"))]);
    sim.put("b", &[("v", n("0.2"))]);
    assert_eq!(sim.json(), json!({"t": {"*": 0.3}}));
}

#[test]
fn min_and_max_stay_right_on_removal() {
    let src = "on INSERT, MODIFY, REMOVE\n  min low of amount by auction\n  max high of amount by auction";
    let mut sim = Sim::new(src, ViewType::NewAndOldImages, "bid");
    sim.put("b1", &[("auction", s("vase")), ("amount", n("5"))]);
    sim.put("b2", &[("auction", s("vase")), ("amount", n("9"))]);
    sim.put("b3", &[("auction", s("vase")), ("amount", n("7"))]);
    sim.put("b4", &[("auction", s("vase")), ("amount", n("5"))]);
    assert_eq!(sim.json(), json!({"high": {"vase": 9}, "low": {"vase": 5}}));
    sim.delete("b2");
    assert_eq!(sim.aggs.value("high", "vase"), Some(json!(7)));
    sim.delete("b1"); // a 5 is still there (b4)
    assert_eq!(sim.aggs.value("low", "vase"), Some(json!(5)));
    sim.put("b4", &[("auction", s("vase")), ("amount", n("8"))]);
    assert_eq!(sim.json(), json!({"high": {"vase": 8}, "low": {"vase": 7}}));
    sim.delete("b3");
    sim.delete("b4");
    assert_eq!(sim.json(), json!({"high": {}, "low": {}}));
}

#[test]
fn average_is_sum_over_count() {
    let mut sim = Sim::new("on INSERT, MODIFY, REMOVE avg rating of stars by product", ViewType::NewAndOldImages, "id");
    sim.put("r1", &[("product", s("mug")), ("stars", n("10"))]);
    sim.put("r2", &[("product", s("mug")), ("stars", n("20"))]);
    assert_eq!(sim.aggs.value("rating", "mug"), Some(json!(15)));
    sim.put("r3", &[("product", s("mug")), ("stars", n("30"))]);
    assert_eq!(sim.aggs.value("rating", "mug"), Some(json!(20)));
    sim.delete("r1");
    assert_eq!(sim.aggs.value("rating", "mug"), Some(json!(25)));
    sim.put("r2", &[("product", s("mug")), ("stars", n("21"))]);
    assert_eq!(sim.aggs.value("rating", "mug"), Some(json!(25.5)));
    sim.put("r4", &[("product", s("mug")), ("stars", n("0"))]);
    sim.put("r5", &[("product", s("mug")), ("stars", n("0"))]);
    assert_eq!(sim.aggs.value("rating", "mug"), Some(json!(12.75)));
    let mut sim = Sim::new("on INSERT avg a of v", ViewType::NewImage, "id");
    for (k, v) in [("x", "1"), ("y", "1"), ("z", "8")] {
        sim.put(k, &[("v", n(v))]);
    }
    assert_eq!(sim.json(), json!({"a": {"*": 3.33333333333333}}));
}

#[test]
fn where_filters_each_side() {
    let src = "on INSERT, MODIFY, REMOVE count open by region where status = \"open\"";
    let mut sim = Sim::new(src, ViewType::NewAndOldImages, "id");
    sim.put("t1", &[("region", s("eu")), ("status", s("open"))]);
    sim.put("t2", &[("region", s("eu")), ("status", s("open"))]);
    sim.put("t3", &[("region", s("us")), ("status", s("closed"))]);
    assert_eq!(sim.json(), json!({"open": {"eu": 2}}));
    sim.put("t1", &[("region", s("eu")), ("status", s("closed"))]);
    sim.put("t3", &[("region", s("us")), ("status", s("open"))]);
    assert_eq!(sim.json(), json!({"open": {"eu": 1, "us": 1}}));
}

#[test]
fn numeric_and_missing_groups() {
    let mut sim = Sim::new("on INSERT, REMOVE count by_size by size", ViewType::NewAndOldImages, "id");
    sim.put("a", &[("size", n("42.0"))]);
    sim.put("b", &[]); // no group: not counted
    sim.put("c", &[("size", AttributeValue::Bool(true))]);
    assert_eq!(sim.json(), json!({"by_size": {"42": 1, "true": 1}}));
    sim.delete("b");
    assert_eq!(sim.json(), json!({"by_size": {"42": 1, "true": 1}}));
}

// ---------- notifications, writes, fail, ttl, changed ----------

#[test]
fn notification_templates_interpolate_and_never_invent() {
    let src = "on MODIFY when new.qty < 5 and old.qty >= 5\n  notify \"#ops\" \"Stock of {keys.sku} dropped to {new.qty} (was {old.qty}) {{sic}} on {event}\"";
    let mut sim = Sim::new(src, ViewType::NewAndOldImages, "sku");
    assert!(sim.put("apple", &[("qty", n("10"))]).is_empty());
    assert!(sim.put("apple", &[("qty", n("6"))]).is_empty());
    let fx = sim.put("apple", &[("qty", n("4.50"))]);
    assert_eq!(
        fx,
        vec![Effect::Notify {
            channel: "#ops".into(),
            message: "Stock of apple dropped to 4.5 (was 6) {sic} on MODIFY".into()
        }]
    );
    let mut sim = Sim::new("on INSERT notify \"#ops\" \"qty {new.qty} old {old.qty}\"", ViewType::NewImage, "sku");
    let fx = sim.put("pear", &[]);
    assert_eq!(
        fx,
        vec![Effect::Notify { channel: "#ops".into(), message: "qty <missing new.qty> old <missing old.qty>".into() }]
    );
}

#[test]
fn conditions_with_absent_images_are_false_not_invented() {
    // Under NEW_IMAGE old.qty is absent: the comparison is false, so nothing fires.
    let src = "on MODIFY when new.qty < 5 and old.qty >= 5 notify \"#ops\" \"low\"";
    let mut sim = Sim::new(src, ViewType::NewImage, "sku");
    sim.put("apple", &[("qty", n("10"))]);
    assert!(sim.put("apple", &[("qty", n("4"))]).is_empty());
    let src = "on MODIFY when new.qty != old.qty notify \"#ops\" \"moved\"";
    let mut sim = Sim::new(src, ViewType::NewImage, "sku");
    sim.put("apple", &[("qty", n("10"))]);
    assert!(sim.put("apple", &[("qty", n("4"))]).is_empty());
}

#[test]
fn table_writes_produce_effects() {
    let src = r##"
on INSERT when begins_with(new.email, "admin")
  put Audit { id: keys.id, note: "admin signup", missing: new.nope }
on MODIFY when changed(status)
  update Totals key { pk: new.status } add n 1, total new.amount set last = new.ts
  update Totals key { pk: old.status } add n -1
on REMOVE
  delete Audit key { id: keys.id }
"##;
    let mut sim = Sim::new(src, ViewType::NewAndOldImages, "id");
    assert!(sim.put("u1", &[("email", s("bob@x"))]).is_empty());
    assert_eq!(
        sim.put("u2", &[("email", s("admin@x")), ("status", s("new"))]),
        vec![Effect::Put { table: "Audit".into(), item: item(&[("id", s("u2")), ("note", s("admin signup"))]) }]
    );
    assert!(sim.put("u2", &[("email", s("admin@x")), ("status", s("new")), ("amount", n("3"))]).is_empty());
    assert_eq!(
        sim.put("u2", &[("email", s("admin@x")), ("status", s("paid")), ("amount", n("3")), ("ts", n("17"))]),
        vec![
            Effect::Update {
                table: "Totals".into(),
                key: item(&[("pk", s("paid"))]),
                add: vec![("n".into(), n("1")), ("total".into(), n("3"))],
                set: vec![("last".into(), n("17"))],
            },
            Effect::Update {
                table: "Totals".into(),
                key: item(&[("pk", s("new"))]),
                add: vec![("n".into(), n("-1"))],
                set: vec![]
            },
        ]
    );
    assert_eq!(sim.delete("u2"), vec![Effect::Delete { table: "Audit".into(), key: item(&[("id", s("u2"))]) }]);
}

#[test]
fn fail_rejects_the_whole_record() {
    let src = "on INSERT count orders\non INSERT notify \"#x\" \"seen {keys.id}\"\non INSERT when new.amount > 1000 fail \"amount {new.amount} too large\"";
    let mut sim = Sim::new(src, ViewType::NewImage, "id");
    assert_eq!(sim.put("o1", &[("amount", n("5"))]).len(), 1);
    let mut it = item(&[("amount", n("5000"))]);
    it.insert("id".into(), s("o2"));
    assert_eq!(sim.write("o2", Some(it), false), Err("amount 5000 too large".to_string()));
    // Neither the count nor the notification of the failed record happened.
    assert_eq!(sim.json(), json!({"orders": {"*": 1}}));
}

#[test]
fn ttl_rules_see_only_ttl_deletions() {
    let src = "on TTL notify \"#sessions\" \"Session {keys.id} expired\"\non REMOVE when ttl count expired\non REMOVE when not ttl count deleted";
    let mut sim = Sim::new(src, ViewType::KeysOnly, "id");
    sim.put("s1", &[]);
    sim.put("s2", &[]);
    assert!(sim.delete("s1").is_empty());
    assert_eq!(
        sim.expire("s2"),
        vec![Effect::Notify { channel: "#sessions".into(), message: "Session s2 expired".into() }]
    );
    assert_eq!(sim.json(), json!({"deleted": {"*": -1}, "expired": {"*": -1}}));
    assert!(parse(src).unwrap().warnings(ViewType::KeysOnly).is_empty());
}

#[test]
fn changed_compares_old_and_new() {
    let src = "on MODIFY when changed(address.city) notify \"#moves\" \"{keys.id} moved to {new.address.city}\"";
    let mut sim = Sim::new(src, ViewType::NewAndOldImages, "id");
    let addr = |c: &str| AttributeValue::M(item(&[("city", s(c))]));
    sim.put("p", &[("address", addr("Lyon"))]);
    assert!(sim.put("p", &[("address", addr("Lyon")), ("age", n("3"))]).is_empty());
    assert_eq!(sim.put("p", &[("address", addr("Nice"))]).len(), 1);
    assert_eq!(sim.put("p", &[]).len(), 1); // the attribute disappearing is a change
                                            // Without the old image changed() is never true.
    let mut sim = Sim::new(src, ViewType::NewImage, "id");
    sim.put("p", &[("address", addr("Lyon"))]);
    assert!(sim.put("p", &[("address", addr("Nice"))]).is_empty());
}

#[test]
fn functions_and_logic() {
    let src = r##"on INSERT when contains(new.tags, "vip") and not exists(new.banned) and (new.n >= 2 or contains(new.name, "zz")) and new.list[1] = 7
  notify "c" "{new.name}""##;
    let mut sim = Sim::new(src, ViewType::NewAndOldImages, "id");
    let tags = AttributeValue::SS(vec!["a".into(), "vip".into()]);
    let list = AttributeValue::L(vec![n("1"), n("7")]);
    assert_eq!(
        sim.put("a", &[("tags", tags.clone()), ("n", n("2")), ("list", list.clone()), ("name", s("A"))]).len(),
        1
    );
    assert!(sim.put("b", &[("tags", tags.clone()), ("n", n("1")), ("list", list.clone())]).is_empty());
    assert_eq!(sim.put("c", &[("tags", tags.clone()), ("name", s("xzzx")), ("list", list.clone())]).len(), 1);
    assert!(sim
        .put(
            "d",
            &[("tags", tags.clone()), ("n", n("5")), ("list", list.clone()), ("banned", AttributeValue::Bool(true))]
        )
        .is_empty());
    // Mixed types never order: "10" is not > 2.
    assert!(sim.put("e", &[("tags", tags), ("n", s("10")), ("list", list)]).is_empty());
}

#[test]
fn aggregates_of_another_kind_are_reset() {
    let mut aggs = Aggregates::default();
    let keys = item(&[("id", s("a"))]);
    let img = item(&[("id", s("a")), ("v", n("4"))]);
    let rec = RecordView {
        event_name: "INSERT",
        ttl: false,
        keys: &keys,
        new_image: Some(&img),
        old_image: None,
        sequence_number: "1",
    };
    parse("on INSERT count x").unwrap().run(&rec, &mut aggs).unwrap();
    parse("on INSERT sum x of v").unwrap().run(&rec, &mut aggs).unwrap();
    assert_eq!(aggs.to_json(), json!({"x": {"*": 4}}));
    // Unknown event names match nothing.
    let odd = RecordView { event_name: "UPSERT", ..rec };
    assert_eq!(parse("on INSERT, MODIFY, REMOVE count y").unwrap().run(&odd, &mut aggs), Ok(vec![]));
}

// ---------- robustness ----------

fn run_everywhere(p: &Program) {
    for v in ViewType::ALL {
        let _ = p.warnings(v);
    }
    let keys = item(&[("id", s("a"))]);
    let img = item(&[("id", s("a")), ("a", n("1")), ("b", s("x")), ("m", AttributeValue::M(item(&[("c", n("2"))])))]);
    let mut aggs = Aggregates::default();
    for (ev, ttl) in [("INSERT", false), ("MODIFY", false), ("REMOVE", false), ("REMOVE", true)] {
        let rec = RecordView {
            event_name: ev,
            ttl,
            keys: &keys,
            new_image: Some(&img),
            old_image: Some(&img),
            sequence_number: "1",
        };
        let _ = p.run(&rec, &mut aggs);
        let _ = aggs.to_json();
    }
}

const WORDS: &[&str] = &[
    "on",
    "INSERT",
    "MODIFY",
    "REMOVE",
    "TTL",
    "when",
    "and",
    "or",
    "not",
    "ttl",
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "of",
    "by",
    "where",
    "notify",
    "put",
    "update",
    "key",
    "add",
    "set",
    "delete",
    "fail",
    "new",
    "old",
    "keys",
    "changed",
    "exists",
    "begins_with",
    "contains",
    "a",
    "b",
    "m",
    "c",
    ".",
    ",",
    ":",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "=",
    "!=",
    "<",
    ">=",
    "1",
    "-2.5",
    "\"#ops\"",
    "\"x {new.a} {old.m.c}\"",
    "\"{\"",
    "--",
    "\n",
    "#",
    "'",
    "1e999",
];

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_text(src in "\\PC{0,200}") {
        if let Ok(p) = parse(&src) {
            run_everywhere(&p);
        } else if let Err(d) = parse(&src) {
            let _ = d.render(&src);
        }
    }

    #[test]
    fn parse_never_panics_on_token_soup(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..60)) {
        let src = words.join(" ");
        match parse(&src) {
            Ok(p) => run_everywhere(&p),
            Err(d) => {
                prop_assert!(d.line >= 1 && d.column >= 1);
                let _ = d.render(&src);
            }
        }
    }

    #[test]
    fn well_formed_rules_always_parse(
        ev in proptest::sample::select(&["INSERT", "MODIFY", "REMOVE", "TTL", "INSERT, REMOVE"][..]),
        attr in "[a-z][a-z0-9_]{0,8}",
        num in -1000i64..1000,
    ) {
        prop_assume!(!super::parser::is_keyword(&attr));
        let src = format!("on {ev} when new.{attr} > {num} or not exists(old.{attr})\n  sum s of {attr} by {attr}\n  notify \"#c\" \"{{new.{attr}}}\"");
        let p = parse(&src);
        prop_assert!(p.is_ok(), "{:?}", p.err());
        run_everywhere(&p.unwrap());
    }
}

#[test]
fn every_example_in_the_readme_snippet_parses() {
    let md = include_str!("README-snippet.md");
    let mut blocks = 0;
    for (k, block) in md.split("```").enumerate() {
        if k % 2 == 0 {
            continue;
        }
        blocks += 1;
        let src = if block.trim_start().starts_with("on ") || block.trim_start().starts_with("--") {
            block.to_string()
        } else {
            format!("on INSERT, MODIFY, REMOVE\n{block}")
        };
        let p = parse(&src);
        assert!(p.is_ok(), "{}", p.err().map(|d| d.render(&src)).unwrap_or_default());
    }
    assert_eq!(blocks, 5);
}

#[test]
fn fail_takes_what_the_handler_reports() {
    let report = |code: &str| match parse(code).expect(code).rules[0].actions[0].clone() {
        super::ast::Action::Fail { report, .. } => report,
        other => panic!("{other:?}"),
    };
    assert_eq!(report("on INSERT fail \"x\""), Report::Default);
    assert_eq!(report("on INSERT fail \"x\" report sequence"), Report::Sequence);
    assert_eq!(report("on INSERT fail \"x\" REPORT eventID"), Report::EventId);
    assert_eq!(report("on INSERT fail \"x\" report null"), Report::Null);
    assert_eq!(report("on INSERT fail \"x\" report \"\""), Report::Text(String::new()));
    assert_eq!(report("on INSERT fail \"x\" report \"abc\""), Report::Text("abc".into()));
    assert_eq!(report("on INSERT fail \"x\" swallow"), Report::Swallow);
    // An action after the clause still parses.
    assert_eq!(parse("on INSERT fail \"x\" report null notify \"#a\" \"b\"").unwrap().rules[0].actions.len(), 2);
    let e = parse("on INSERT fail \"x\" report 42").unwrap_err();
    assert!(e.message.contains("sequence, eventID, null or an identifier in double quotes"), "{}", e.message);
}
