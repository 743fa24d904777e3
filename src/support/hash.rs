//! FNV-1a: a small, deterministic hash (shard routing, iterator checks, eventID mixing).

/// FNV-1a, for deterministic routing of partition keys to shards.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
