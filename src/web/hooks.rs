//! Custom hooks: the lab (`use_lab`: the root's reducer, and the callbacks that read the
//! browser's clock and storage so that the reducer does not), long work in slices between frames
//! (one slice per animation frame), and the playing clock (a gloo-timers `Interval`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::{closure::Closure, JsCast};
use yew::prelude::*;

use super::persist;
use super::state::Action;
use super::LabHandle;
use crate::teach::lab::{self, Previous};
use crate::teach::session::Session;

/// Real milliseconds between two ticks of the playing clock.
pub const TICK_MS: u32 = 100;

/// Real time one slice of queued work may take: it starts at the first and adapts between the
/// other two, so that a slice, the render it causes and the browser's layout and paint fit in
/// one frame on this machine (slices run one per animation frame, [`use_work`]).
const BUDGET_MS: (f64, f64, f64) = (3.0, 0.5, 4.5);
/// On a device too slow for that (the render alone takes more than a frame), a slice may take
/// as long as the render and the rest of its frame did, up to this: at least half of the time
/// goes to the work (a 10,000-write burst would otherwise take most of a minute with the CPU
/// slowed 4x), and no input waits more than a slice and a render.
const SLOW_BUDGET_MAX_MS: f64 = 40.0;
/// One frame at 60 Hz.
const FRAME_MS: f64 = 1000.0 / 60.0;

/// The time budget of a slice of the running job, and when the last slice started.
pub struct Pace {
    budget: f64,
    last: f64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace { budget: BUDGET_MS.0, last: f64::NEG_INFINITY }
    }
}

impl Pace {
    /// The budget of a slice starting at `start`. A slice comes one frame after the last one,
    /// unless the last slice and its render took too long and the frame was dropped: then take
    /// less time, or, when the render alone took more than a frame, as long as it did;
    /// otherwise a bit more.
    fn next(&mut self, start: f64) -> f64 {
        let gap = start - self.last;
        if gap > 1.5 * FRAME_MS && gap < 10.0 * FRAME_MS {
            // What the frame spent besides the slice: the render, layout and paint.
            let rest = gap - self.budget;
            self.budget = if rest > FRAME_MS {
                // The render alone misses the frame: this device drops frames anyway.
                rest.min(SLOW_BUDGET_MAX_MS)
            } else {
                (self.budget * 0.5).max(BUDGET_MS.1)
            };
        } else if gap <= 1.5 * FRAME_MS {
            self.budget = (self.budget + 0.2).min(BUDGET_MS.2);
        }
        self.last = start;
        self.budget
    }
}

/// Runs steps of the queued job, one [`Action::Work`] each, until the slice's time is up or
/// the job is done.
fn work_slice(lab: &LabHandle, pace: &RefCell<Pace>) {
    let start = js_sys::Date::now();
    let budget = pace.borrow_mut().next(start);
    while lab.clone().job.is_some() {
        lab.dispatch(Action::Work);
        if js_sys::Date::now() - start > budget {
            break;
        }
    }
}

/// Replaces the lab by `session` (`own`: the learner's own lab, back), keeping the lab it
/// replaces in the browser (or downloading it) first; when neither works, the lab is not
/// replaced and the Files panel says why.
fn load(lab: &LabHandle, session: Session, note: String, own: bool) {
    // Read through a fresh handle: a handle keeps every state it was read in while it lives,
    // and the callbacks that call this live long.
    match persist::keep_replaced(&lab.clone(), false) {
        Previous::NotKept => lab.dispatch(Action::FilesNote(lab::not_replaced())),
        kept => {
            if own {
                persist::forget_own();
            }
            lab.dispatch(Action::Load { session: Box::new(session), note, kept, own })
        }
    }
}

/// An import: a scenario's text and where it comes from ("mine.json", "the shared link", a
/// lesson step, a quiz question).
pub struct Import {
    pub text: String,
    pub source: String,
}

/// What the panels may ask of the lab: any action, and the three that replace the lab (each
/// keeps the lab it replaces in the browser first, and says so in the Files panel).
pub struct LabCallbacks {
    pub action: Callback<Action>,
    pub import: Callback<Import>,
    pub reset: Callback<()>,
    pub restore: Callback<()>,
    /// "Back to my lab": the learner's own lab, kept while lessons, links and imports were open.
    pub back_to_own: Callback<()>,
}

/// The root's state and its callbacks (made once: they read the state when called), and the
/// pace of long work for [`use_work`].
#[hook]
pub fn use_lab() -> (LabHandle, Rc<LabCallbacks>, Rc<RefCell<Pace>>) {
    let lab = use_reducer(persist::load);
    let pace = use_mut_ref(Pace::default);
    let callbacks = {
        let (lab, pace) = (lab.clone(), pace.clone());
        use_memo((), move |_| {
            let action = {
                let lab = lab.clone();
                // "Advance clock" does its first slice at once, before the click's frame is drawn.
                Callback::from(move |a: Action| {
                    let advance = matches!(a, Action::Advance(_));
                    lab.dispatch(a);
                    if advance {
                        work_slice(&lab, &pace);
                    }
                })
            };
            let import = {
                let lab = lab.clone();
                Callback::from(move |Import { text, source }: Import| match lab::import(&text, &source) {
                    Ok((imported, note)) => load(&lab, imported, note, false),
                    Err(note) => lab.dispatch(Action::FilesNote(note)),
                })
            };
            let reset = {
                let lab = lab.clone();
                Callback::from(move |()| match persist::keep_replaced(&lab.clone(), true) {
                    Previous::NotKept => lab.dispatch(Action::FilesNote(lab::not_replaced())),
                    kept => lab.dispatch(Action::Reset { kept }),
                })
            };
            let restore = {
                let lab = lab.clone();
                Callback::from(move |()| match lab::restore(persist::previous().as_deref()) {
                    Ok(previous) => load(&lab, previous, lab::RESTORED.into(), false),
                    Err(note) => lab.dispatch(Action::FilesNote(note)),
                })
            };
            let back_to_own = Callback::from(move |()| match lab::restore_own(persist::own().as_deref()) {
                Ok(own) => load(&lab, own, lab::BACK_TO_OWN.into(), true),
                Err(note) => lab.dispatch(Action::FilesNote(note)),
            });
            LabCallbacks { action, import, reset, restore, back_to_own }
        })
    };
    (lab, callbacks, pace)
}

/// While the lab is playing, advance the simulated clock every [`TICK_MS`] by
/// `speed * TICK_MS` simulated milliseconds.
#[hook]
pub fn use_clock(playing: bool, speed: f64, on_action: Callback<Action>) {
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
pub fn use_work(lab: &LabHandle, pace: &Rc<RefCell<Pace>>) {
    let pending = lab.job.is_some();
    let first = lab.job.as_ref().is_some_and(lab::Job::is_fresh_burst);
    let (rev, lab, pace) = (lab.rev, lab.clone(), pace.clone());
    use_effect_with((pending, rev), move |_| {
        let frame = pending.then(|| AnimationFrame::request(first, move || work_slice(&lab, &pace))).flatten();
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
