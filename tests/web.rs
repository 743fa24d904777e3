//! Browser tests of the Yew app: mounted into a div in headless Chromium and driven through
//! DOM events. Run with `make test` (or `cargo test --target wasm32-unknown-unknown --test web`
//! with `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner` and
//! `CHROMEDRIVER=/usr/bin/chromedriver`).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mount a fresh app (with no saved session) in its own div and let it render.
async fn mount() -> Element {
    storage().clear().unwrap();
    mount_keeping_storage().await
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mount an app that restores whatever this browser saved (as a reload does).
async fn mount_keeping_storage() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    streamlab::web::mount(root.clone());
    settle().await;
    root
}

/// Yew renders asynchronously: give it a moment.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

/// Waits until `done` holds, checking every 10 ms for up to 5 s, for what happens after a
/// render (an effect's save) on a machine that may be busy: a fixed wait would be a guess.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("still not so after 5 s: {what}");
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn button(root: &Element, label: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

/// The list whose accessible name comes from the "Stream records" heading.
fn records_list(root: &Element) -> Element {
    let list = find(root, "ol.records");
    let heading_id = list.get_attribute("aria-labelledby").unwrap();
    let heading = find(root, &format!("#{heading_id}"));
    assert_eq!(heading.text_content().unwrap(), "Stream records");
    list
}

fn record_count(root: &Element) -> u32 {
    records_list(root).query_selector_all("li").unwrap().length()
}

/// Type into the item textarea: set its value and fire the `input` event a user's typing fires.
fn set_item(root: &Element, text: &str) {
    let textarea: HtmlTextAreaElement = find(root, "textarea#item").dyn_into().unwrap();
    textarea.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    let input = Event::new_with_event_init_dict("input", &init).unwrap();
    textarea.dispatch_event(&input).unwrap();
}

fn item_text(root: &Element) -> String {
    find(root, "textarea#item").dyn_into::<HtmlTextAreaElement>().unwrap().value()
}

#[wasm_bindgen_test]
async fn renders_the_form_and_an_empty_stream_records_list() {
    let root = mount().await;
    assert_eq!(find(&root, "h1").text_content().unwrap(), "StreamLab");
    assert_eq!(find(&root, "label[for=item]").text_content().unwrap(), "Item");
    let textarea: HtmlTextAreaElement = find(&root, "textarea#item").dyn_into().unwrap();
    assert!(textarea.value().contains("\"voter\""), "textarea is prefilled with an example");
    button(&root, "Put item");
    button(&root, "Delete item");
    assert_eq!(record_count(&root), 0);
    assert_eq!(find(&root, "#item-error").text_content().unwrap(), "");
}

#[wasm_bindgen_test]
async fn putting_an_item_adds_a_stream_record() {
    let root = mount().await;
    set_item(&root, r#"{"voter": {"S": "ana"}, "choice": {"S": "streams"}}"#);
    button(&root, "Put item").click();
    settle().await;

    assert_eq!(record_count(&root), 1);
    let record = find(&records_list(&root), "li");
    let text = record.text_content().unwrap();
    assert!(text.contains("INSERT"), "{text}");
    assert!(text.contains(r#""voter""#) && text.contains(r#""ana""#), "{text}");
    assert!(text.contains("SequenceNumber"), "{text}");
    assert_eq!(find(&root, "#item-error").text_content().unwrap(), "");

    // Deleting it writes a REMOVE record.
    button(&root, "Delete item").click();
    settle().await;
    assert_eq!(record_count(&root), 2);
    let last = records_list(&root).last_element_child().unwrap();
    assert!(last.text_content().unwrap().contains("REMOVE"));

    // Deleting it again changes nothing, and the page says so.
    button(&root, "Delete item").click();
    settle().await;
    assert_eq!(record_count(&root), 2);
    let status = find(&root, "#item-status").text_content().unwrap();
    assert!(status.contains("no stream record"), "{status}");
}

#[wasm_bindgen_test]
async fn a_rejected_item_shows_the_error_and_adds_no_record() {
    let root = mount().await;
    set_item(&root, r#"{"voter": {"S": ""}}"#);
    button(&root, "Put item").click();
    settle().await;
    assert_eq!(record_count(&root), 0);
    let error = find(&root, "#item-error").text_content().unwrap();
    assert!(error.contains("ValidationException"), "{error}");
    assert_eq!(item_text(&root), r#"{"voter": {"S": ""}}"#, "the user's text stays");

    set_item(&root, "{ not json");
    button(&root, "Put item").click();
    settle().await;
    assert_eq!(record_count(&root), 0);
    let error = find(&root, "#item-error").text_content().unwrap();
    assert!(error.contains("Not valid JSON"), "{error}");

    // A good item clears the error.
    set_item(&root, r#"{"voter": {"S": "bo"}}"#);
    button(&root, "Put item").click();
    settle().await;
    assert_eq!(record_count(&root), 1);
    assert_eq!(find(&root, "#item-error").text_content().unwrap(), "");
}

#[wasm_bindgen_test]
async fn user_text_is_shown_as_text_not_markup() {
    let root = mount().await;
    set_item(&root, r#"{"voter": {"S": "<img src=x onerror=alert(1)>"}}"#);
    button(&root, "Put item").click();
    settle().await;
    assert_eq!(record_count(&root), 1);
    let list = records_list(&root);
    assert!(list.query_selector("img").unwrap().is_none());
    assert!(list.text_content().unwrap().contains("<img src=x onerror=alert(1)>"));
}

fn section(root: &Element, name: &str) -> Element {
    find(root, &format!("section[aria-label='{name}']"))
}

/// Set a textarea's text as typing would.
fn type_into(root: &Element, selector: &str, text: &str) {
    let textarea: HtmlTextAreaElement = find(root, selector).dyn_into().unwrap();
    textarea.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    textarea.dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

fn choose_view_type(root: &Element, value: &str) {
    let select: HtmlSelectElement = find(root, "select#view-type").dyn_into().unwrap();
    select.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    select.dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn the_view_type_switch_offers_the_four_types_and_an_insert_under_old_image_has_no_image() {
    let root = mount().await;
    let label = find(&root, "label[for=view-type]").text_content().unwrap();
    assert_eq!(label, "Stream view type");
    let options = root.query_selector_all("select#view-type option").unwrap();
    let values: Vec<String> = (0..options.length())
        .map(|i| options.item(i).unwrap().dyn_into::<web_sys::HtmlOptionElement>().unwrap().value())
        .collect();
    assert_eq!(values, ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]);

    choose_view_type(&root, "OLD_IMAGE");
    settle().await;
    let describe = find(&root, "#view-describe").text_content().unwrap();
    assert!(describe.contains("before the change"), "{describe}");
    let page = root.text_content().unwrap();
    assert!(page.contains("cannot be changed in place"), "the note from lab::set_view_type");

    set_item(&root, r#"{"voter": {"S": "ana"}, "choice": {"S": "tea"}}"#);
    button(&root, "Put item").click();
    settle().await;
    assert_eq!(record_count(&root), 1, "the new stream has just this record");
    let text = find(&records_list(&root), "li").text_content().unwrap();
    assert!(text.contains("INSERT") && text.contains("no old image") && text.contains("no new image"), "{text}");
}

#[wasm_bindgen_test]
async fn deploying_a_counting_rule_fills_the_aggregates_after_the_clock_moves() {
    let root = mount().await;
    type_into(&root, "textarea#rules", "on INSERT, MODIFY, REMOVE\n  count votes by choice");
    settle().await;
    assert!(find(&root, "#rules-check").text_content().unwrap().contains("No problems"));
    button(&root, "Deploy").click();
    set_item(&root, r#"{"voter": {"S": "ana"}, "choice": {"S": "tea"}}"#);
    button(&root, "Put item").click();
    settle().await;
    button(&root, "Step").click();
    settle().await;
    let aggregates = section(&root, "Aggregates").text_content().unwrap();
    assert!(aggregates.contains("votes") && aggregates.contains("tea"), "{aggregates}");

    // A syntax error shows as you type.
    type_into(&root, "textarea#rules", "on INSERT\n  count");
    settle().await;
    let check = find(&root, "#rules-check").text_content().unwrap();
    assert!(check.contains("line 2"), "{check}");
}

#[wasm_bindgen_test]
async fn step_back_undoes_the_last_write() {
    let root = mount().await;
    set_item(&root, r#"{"voter": {"S": "ana"}}"#);
    button(&root, "Put item").click();
    settle().await;
    set_item(&root, r#"{"voter": {"S": "bo"}}"#);
    button(&root, "Put item").click();
    settle().await;
    assert_eq!(record_count(&root), 2);
    button(&root, "Step back").click();
    settle().await;
    assert_eq!(record_count(&root), 1);
}

/// Issue 21: "Step back" after "Step" undid the whole merged clock advance, not the step.
#[wasm_bindgen_test]
async fn step_back_after_step_undoes_that_step_only() {
    let root = mount().await;
    let clock = |root: &Element| find(root, ".clock-time").text_content().unwrap();
    button(&root, "+1 min").click();
    settle().await;
    assert_eq!(clock(&root), "2026-01-01T00:01:00Z");
    button(&root, "Step").click();
    settle().await;
    assert_eq!(clock(&root), "2026-01-01T00:01:01Z");
    button(&root, "Step back").click();
    settle().await;
    assert_eq!(clock(&root), "2026-01-01T00:01:00Z", "one second undone, not the minute before it");
    button(&root, "Step back").click();
    settle().await;
    assert_eq!(clock(&root), "2026-01-01T00:00:00Z");
}

#[wasm_bindgen_test]
async fn the_session_is_saved_and_restored_and_bad_saved_data_is_set_aside() {
    let root = mount().await;
    set_item(&root, r#"{"voter": {"S": "ana"}}"#);
    button(&root, "Put item").click();
    until("the session is saved", || storage().get_item("streamlab.session").unwrap().is_some()).await;
    let again = mount_keeping_storage().await;
    assert_eq!(record_count(&again), 1, "a reload restores the session");

    storage().set_item("streamlab.session", "{\"streamlab\": 99}").unwrap();
    let fresh = mount_keeping_storage().await;
    assert_eq!(record_count(&fresh), 0);
    assert!(fresh.text_content().unwrap().contains("could not be restored"));
    assert_eq!(storage().get_item("streamlab.session.set-aside").unwrap().as_deref(), Some("{\"streamlab\": 99}"));
}

/// In the browser, `equals-ignore-case` filters lower-case text with the browser's own
/// `toLowerCase` (`streamlab::platform`), not Rust's tables, which the page does not carry.
/// Both must be Unicode's default full mapping: checked on the cases where it is more than a
/// character-by-character table (final sigma, İ to i + combining dot, no locale rules), and on
/// characters from many scripts.
#[wasm_bindgen_test]
fn browser_lowercase_is_rusts() {
    let cases = [
        "Alice",
        "ÀÉÎÕÜ",
        "ΟΔΟΣ ΟΔΟΣ.",
        "Σ",
        "ΑΣ",
        "ΑΣ'Α",
        "İstanbul",
        "KELVIN K",
        "ẞtraße",
        "ǅungla",
        "ＡＢＣ",
        "ДОБРО",
        "ՄԱՐՏ",
        "𐐀𐐁",
        "ᏣᎳᎩ",
        "Ⅻ",
        "ⓐⒷ",
        "ΣΑΣ ΣΑΣ",
        "A\u{0301}Σ\u{0301}",
    ];
    for s in cases {
        assert_eq!(streamlab::platform::to_lowercase(s), s.to_lowercase(), "{s:?}");
    }
    // Every character of the Basic Multilingual Plane and beyond, in blocks of 256.
    let all: Vec<char> = (0..0x1F000u32).filter_map(char::from_u32).collect();
    for chunk in all.chunks(256) {
        let s: String = chunk.iter().flat_map(|c| [*c, ' ']).collect();
        assert_eq!(streamlab::platform::to_lowercase(&s), s.to_lowercase(), "block from U+{:04X}", chunk[0] as u32);
    }
}

/// In the browser, lab links are packed and unpacked by the browser's own DEFLATE
/// (`streamlab::web::codec`). A link made by another DEFLATE (Python's zlib: the fixture the
/// native test `a_link_made_elsewhere_opens` also opens) opens as its scenario; what the
/// browser packs unpacks to the same text; damaged data and a "zip bomb" get the same messages
/// as natively.
#[wasm_bindgen_test]
async fn share_links_use_the_browsers_deflate() {
    use streamlab::share::{self, Packed, Target};
    use streamlab::web::codec;
    let link = include_str!("fixtures/lifecycle.link").trim();
    let text = include_str!("scenarios/lifecycle.json");
    let Ok((Target::State(packed), _)) = share::decode_link(link) else { panic!("not a state link") };
    let (opened, _) = share::state_from_unpacked(codec::unpack(&packed).await.unwrap()).unwrap();
    let direct = streamlab::Session::from_scenario_text(text).unwrap();
    assert_eq!(opened.to_scenario_json(), direct.to_scenario_json());

    let packed = codec::pack(text).await.unwrap();
    assert!(packed.len() < text.len() / 2, "packed to {} bytes", packed.len());
    assert_eq!(codec::unpack(&Packed(packed)).await.unwrap(), text.as_bytes());

    assert_eq!(codec::unpack(&Packed(vec![0xff; 40])).await.unwrap_err(), share::LinkError::Damaged.to_string());
    let bomb = codec::pack(&" ".repeat(share::MAX_SCENARIO_BYTES + 1)).await.unwrap();
    assert!(bomb.len() < 20_000, "{}", bomb.len());
    assert_eq!(codec::unpack(&Packed(bomb)).await.unwrap_err(), share::LinkError::TooBig.to_string());
    let exact = codec::pack(&" ".repeat(share::MAX_SCENARIO_BYTES)).await.unwrap();
    assert_eq!(codec::unpack(&Packed(exact)).await.unwrap().len(), share::MAX_SCENARIO_BYTES);
}

/// In the browser, the rule language's names are told apart with the browser's Unicode
/// properties (`streamlab::platform`): they must be Rust's `is_alphabetic` and
/// `is_alphanumeric`, for every character.
#[wasm_bindgen_test]
fn browser_letter_classes_are_rusts() {
    for c in
        (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|c| (*c as u32) < 0x32000 || (*c as u32).is_multiple_of(97))
    {
        assert_eq!(streamlab::platform::is_alphabetic(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        assert_eq!(streamlab::platform::is_alphanumeric(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
    }
}
