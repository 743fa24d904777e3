//! Stream records: which writes make them (`docs/aws-behaviour.md` §2.1), their images per view type
//! (§1.3, §1.5), their identifiers, sequence numbers and times (§1.1, "Decisions" table), and
//! their SizeBytes (§1.3). The records of TTL deletions are in `ttl`.

mod generation;
mod images;
mod shape;
mod sizes;
