//! Small sorts shared by the engine and the web app, for the size of the wasm: every type
//! `core`'s `sort`/`sort_unstable` is used with adds about 4 KB of wasm (a whole driftsort or
//! ipnsort per instance), a heapsort about 300 bytes. Both are O(n log n) with no quadratic
//! case (a set can have 100,000 members).

/// Sorts `v` so that no element is `less` than the one before it (a heapsort: O(n log n), no
/// allocation, not stable). Use it only where equal elements cannot be told apart (plain
/// strings, numbers and bytes, unique keys): then every sort gives the same result.
pub fn heapsort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, &mut less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut less);
    }
}

/// Moves `v[root]` down the max-heap `v[..end]` (ordered by `less`) to its place.
fn sift_down<T>(v: &mut [T], mut root: usize, end: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    }
}

/// The `k` elements of `items` with the least keys, in order of key, equal keys in the order
/// they came: what a stable sort by key then a truncation to `k` gives, in O(n log k) time and
/// O(k) memory (the elements past the `k` least are dropped as they come).
pub fn least_by_key<T, K: Ord>(items: impl IntoIterator<Item = T>, k: usize, key: impl Fn(&T) -> K) -> Vec<T> {
    // A max-heap of the `k` least so far, each tagged with its position so that no two are equal.
    let mut heap: Vec<(K, usize, T)> = Vec::new();
    let mut less = |a: &(K, usize, T), b: &(K, usize, T)| (&a.0, a.1) < (&b.0, b.1);
    for (i, t) in items.into_iter().enumerate() {
        let entry = (key(&t), i, t);
        if heap.len() < k {
            heap.push(entry);
            let mut child = heap.len() - 1;
            while child > 0 && less(&heap[(child - 1) / 2], &heap[child]) {
                heap.swap((child - 1) / 2, child);
                child = (child - 1) / 2;
            }
        } else if k > 0 && less(&entry, &heap[0]) {
            heap[0] = entry;
            sift_down(&mut heap, 0, k, &mut less);
        }
    }
    heapsort_by(&mut heap, less);
    heap.into_iter().map(|(_, _, t)| t).collect()
}

/// Sorts `v` in increasing order of its elements (see [`heapsort_by`]: only for elements
/// whose equal ones cannot be told apart).
pub fn sort<T: Ord>(v: &mut [T]) {
    heapsort_by(v, |a, b| a < b);
}

/// A stable sort by key, as `slice::sort_by_key`: elements with equal keys keep their order.
/// Each element is tagged with its index, so that no two keys are equal, then heapsorted.
pub fn stable_sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let mut tagged: Vec<(K, usize, T)> = v.drain(..).enumerate().map(|(i, t)| (key(&t), i, t)).collect();
    heapsort_by(&mut tagged, |a, b| (&a.0, a.1) < (&b.0, b.1));
    v.extend(tagged.into_iter().map(|(_, _, t)| t));
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::support::rng::Rng;

    #[test]
    fn heapsort_sorts_like_std() {
        // Many lengths, many duplicates.
        let mut r = Rng::new(0x9e37_79b9_7f4a_7c15);
        for n in 0..200 {
            let mut v: Vec<u64> = (0..n).map(|_| r.next_u64() % (n as u64 / 2 + 1)).collect();
            let mut want = v.clone();
            want.sort_unstable();
            heapsort_by(&mut v, |a, b| a < b);
            assert_eq!(v, want);
            heapsort_by(&mut v, |a, b| a > b);
            want.reverse();
            assert_eq!(v, want);
        }
    }

    #[test]
    fn sort_gives_std_order_for_strings_bytes_and_numbers() {
        use crate::model::Number;
        let mut r = Rng::new(12345);
        for n in [0, 1, 2, 3, 10, 100, 1000] {
            let strings: Vec<String> = (0..n)
                .map(|_| {
                    ["", "a", "A", "é", "ab", "b", "z\u{10348}", "aa"][(r.next_u64() % 8) as usize]
                        .repeat((r.next_u64() % 3) as usize)
                })
                .collect();
            let bytes: Vec<Vec<u8>> =
                (0..n).map(|_| (0..r.next_u64() % 4).map(|_| (r.next_u64() % 4) as u8 * 85).collect()).collect();
            let numbers: Vec<Number> = (0..n)
                .map(|_| {
                    Number::parse(&format!(
                        "{}{}e{}",
                        if r.next_u64().is_multiple_of(2) { "-" } else { "" },
                        r.next_u64() % 1000,
                        r.next_u64() % 7
                    ))
                    .unwrap()
                })
                .collect();
            let (mut a, mut b, mut c) = (strings.clone(), bytes.clone(), numbers.clone());
            let (mut sa, mut sb, mut sc) = (strings, bytes, numbers);
            sort(&mut a);
            sort(&mut b);
            sort(&mut c);
            sa.sort();
            sb.sort();
            sc.sort();
            assert_eq!((a, b, c), (sa, sb, sc));
        }
        // Sorted, reversed and constant inputs of set size.
        for mut v in [(0..100_000).collect::<Vec<u32>>(), (0..100_000).rev().collect(), vec![7; 100_000]] {
            let mut want = v.clone();
            want.sort();
            sort(&mut v);
            assert_eq!(v, want);
        }
    }

    #[test]
    fn least_by_key_is_a_stable_sort_then_a_truncation() {
        let mut r = Rng::new(4242);
        for n in 0..120 {
            let v: Vec<(u64, u64)> = (0..n).map(|i| (r.next_u64() % (n as u64 / 4 + 1), i as u64)).collect();
            for k in [0, 1, 2, 7, n / 2, n, n + 3] {
                let mut want = v.clone();
                want.sort_by_key(|p| p.0);
                want.truncate(k);
                assert_eq!(least_by_key(v.iter().copied(), k, |p| p.0), want, "n {n}, k {k}");
            }
        }
        // Increasing, decreasing and constant keys (every element replaces the heap's top, or none).
        for v in [(0..1000).collect::<Vec<u32>>(), (0..1000).rev().collect(), vec![5; 1000]] {
            let mut want: Vec<(u32, usize)> = v.iter().copied().zip(0..).collect();
            want.sort_by_key(|p| p.0);
            want.truncate(100);
            assert_eq!(least_by_key(v.iter().copied().zip(0..), 100, |p| p.0), want);
        }
    }

    #[test]
    fn stable_sort_keeps_the_order_of_equal_keys_like_std() {
        let mut r = Rng::new(777);
        for n in 0..300 {
            let v: Vec<(u64, u64)> = (0..n).map(|i| (r.next_u64() % (n as u64 / 3 + 1), i as u64)).collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v;
            stable_sort_by_key(&mut got, |p| p.0);
            assert_eq!(got, want);
        }
    }
}
