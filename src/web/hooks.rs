//! Custom hooks: the playing clock (a gloo-timers `Interval`), work in slices between frames
//! (one slice per animation frame), and autosave after every change.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::{closure::Closure, JsCast};
use yew::prelude::*;

use super::state::{Action, Job};
use super::LabHandle;

/// Real milliseconds between two ticks of the playing clock.
pub const TICK_MS: u32 = 100;

/// While the lab is playing, advance the simulated clock every [`TICK_MS`] by
/// `speed * TICK_MS` simulated milliseconds.
#[hook]
pub fn use_clock(lab: &LabHandle, on_action: Callback<Action>) {
    let playing = lab.playing;
    let speed = lab.speed;
    use_effect_with((playing, speed.to_bits()), move |_| {
        let interval = playing
            .then(|| Interval::new(TICK_MS, move || on_action.emit(Action::Tick(speed * f64::from(TICK_MS) / 1000.0))));
        move || drop(interval)
    });
}

/// While a job (a long clock advance, a burst of writes) is queued, run its next slice at the
/// start of the next animation frame: one slice per frame, so the browser has the rest of the
/// frame to lay out and paint what the slice changed (a zero-delay timeout could run several
/// slices in one frame and drop it).
///
/// A burst's first slice waits one frame more: the frame of the click that queued it then only
/// draws the busy state (the click may come just before a frame's animation callbacks).
#[hook]
pub fn use_work(lab: &LabHandle, on_action: Callback<Action>) {
    let pending = lab.job.is_some();
    let first = matches!(lab.job, Some(Job::Burst { next: 0, .. }));
    let rev = lab.rev;
    use_effect_with((pending, rev), move |_| {
        let frame = pending.then(|| AnimationFrame::request(first, move || on_action.emit(Action::Work))).flatten();
        move || drop(frame)
    });
}

/// A requested animation frame (the next one, or the one after when `skip_one`), cancelled
/// when dropped.
struct AnimationFrame {
    id: Rc<Cell<i32>>,
    _callbacks: FrameCallbacks,
}

/// The frame's callback, and the one that skips a frame first.
type FrameCallbacks = (Closure<dyn FnMut()>, Option<Closure<dyn FnMut()>>);

impl AnimationFrame {
    fn request(skip_one: bool, f: impl FnOnce() + 'static) -> Option<AnimationFrame> {
        let mut f = Some(f);
        let run = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f()
            }
        });
        let id = Rc::new(Cell::new(0));
        let callbacks = if skip_one {
            let (run_fn, id) = (run.as_ref().unchecked_ref::<js_sys::Function>().clone(), id.clone());
            let hop = Closure::<dyn FnMut()>::new(move || {
                if let Some(n) = web_sys::window().and_then(|w| w.request_animation_frame(&run_fn).ok()) {
                    id.set(n);
                }
            });
            (hop, Some(run))
        } else {
            (run, None)
        };
        id.set(web_sys::window()?.request_animation_frame(callbacks.0.as_ref().unchecked_ref()).ok()?);
        Some(AnimationFrame { id, _callbacks: callbacks })
    }
}

impl Drop for AnimationFrame {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = w.cancel_animation_frame(self.id.get());
        }
    }
}

/// Save the session after every change. Ticks of the playing clock are saved at most once a
/// second; pausing saves at once.
#[hook]
pub fn use_autosave(lab: &LabHandle) {
    let last = use_mut_ref(|| Cell::new(0.0f64));
    let state = (*lab).clone();
    use_effect_with((lab.version, lab.playing), move |_| {
        let now = js_sys::Date::now();
        // A running job (a burst, a long advance) saves once, when it is done.
        let throttled = (state.ticked && state.playing && now - last.borrow().get() < 1000.0) || state.job.is_some();
        if !throttled && state.version > 0 {
            state.save();
            last.borrow().set(now);
        }
    });
}
