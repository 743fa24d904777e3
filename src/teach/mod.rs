//! Teaching: a learner's session, the lab facade the page uses (its actions in `lab`, what each
//! panel shows in `view`), lessons, quizzes, share links.
pub mod check;
pub mod file;
pub mod grade;
pub mod lab;
pub mod lesson;
pub mod paper;
pub mod quiz;
pub mod scorm;
pub mod session;
pub mod share;
pub mod view;

pub use session::{LoadError, Session, LOAD_BYTES_BUDGET, LOAD_WORK_BUDGET, MAX_INPUT_BYTES};
