//! Teaching: a learner's session, the lab facade the page uses, lessons, quizzes, share links.
pub mod lab;
pub mod lesson;
pub mod quiz;
pub mod session;
pub mod share;

pub use session::{Session, MAX_INPUT_BYTES};
