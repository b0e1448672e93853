//! Vectors kept small and compared fast: each normalised vector is stored
//! as one byte per dimension (`i8`) with one scale, and a query is compared
//! with every stored vector by an exact scan of integer dot products.
//!
//! At 384 dimensions a paper's vector takes 388 bytes instead of 1,536;
//! the rounding moves a cosine by well under 0.01, less than the gap
//! between neighbours that matter.
//!
//! Past [`PREFILTER_FROM`] vectors the exact scan reads too much memory
//! for one query (384 MB at a million), so [`VectorSet::nearest`] first
//! ranks every vector by its signature (one sign bit per dimension, 48
//! bytes) against the query's, then scores exactly only the few thousand
//! whose signs agree most: a prefilter with rescoring, no index to build.

use std::collections::HashMap;
use std::sync::Arc;

/// A vector as stored: `values[i] * scale` is dimension `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantized {
    pub scale: f32,
    pub values: Vec<i8>,
}

impl Quantized {
    /// The nearest `i8` vector to `v`, scaled by its largest magnitude.
    pub fn from_floats(v: &[f32]) -> Quantized {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        if max == 0.0 {
            return Quantized {
                scale: 0.0,
                values: vec![0; v.len()],
            };
        }
        let scale = max / 127.0;
        let values = v
            .iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
            .collect();
        Quantized { scale, values }
    }

    /// The values as bytes, for storing.
    pub fn bytes(&self) -> Vec<u8> {
        self.values.iter().map(|&v| v as u8).collect()
    }

    pub fn from_bytes(scale: f32, bytes: &[u8]) -> Quantized {
        Quantized {
            scale,
            values: bytes.iter().map(|&b| b as i8).collect(),
        }
    }

    /// The cosine of two normalised vectors, from their stored forms.
    pub fn dot(&self, other: &Quantized) -> f32 {
        dot_i8(&self.values, &other.values) as f32 * self.scale * other.scale
    }
}

/// The integer dot product (written so the compiler vectorises it).
#[inline(always)]
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(i16::from(x) * i16::from(y)))
        .sum()
}

/// From this many vectors on, a scan uses every core.
const PARALLEL_FROM: usize = 20_000;

/// From this many vectors on, `nearest` prefilters by signatures.
pub const PREFILTER_FROM: usize = 250_000;

/// Vectors the signature pass keeps for exact scoring, per result asked
/// for, and at least.
const RESCORED_PER_RESULT: usize = 40;
const RESCORED_AT_LEAST: usize = 4_000;

/// 64-bit words of a signature.
fn signature_words(dims: usize) -> usize {
    dims.div_ceil(64)
}

/// The sign bits of a vector's values (1 where positive), appended to `out`.
fn push_signature(values: &[i8], out: &mut Vec<u64>) {
    for chunk in values.chunks(64) {
        let mut word = 0u64;
        for (bit, &v) in chunk.iter().enumerate() {
            if v > 0 {
                word |= 1 << bit;
            }
        }
        out.push(word);
    }
}

/// `out[i]` = the number of signs where row `i` of `signs` differs from `q`.
fn distances_into(q: &[u64], signs: &[u64], out: &mut [u16]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the processor was just found to support POPCNT.
        unsafe { distances_popcnt(q, signs, out) };
        return;
    }
    distances_plain(q, signs, out);
}

fn distances_plain(q: &[u64], signs: &[u64], out: &mut [u16]) {
    distances(q, signs, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn distances_popcnt(q: &[u64], signs: &[u64], out: &mut [u16]) {
    // The same loop, compiled with the processor's population count.
    distances(q, signs, out);
}

#[inline(always)]
fn distances(q: &[u64], signs: &[u64], out: &mut [u16]) {
    for (o, row) in out.iter_mut().zip(signs.chunks_exact(q.len())) {
        *o = q
            .iter()
            .zip(row)
            .map(|(a, b)| (a ^ b).count_ones())
            .sum::<u32>() as u16;
    }
}

/// Runs `work(first_row, rows_out)` over `out` in shares, on every core
/// when there are enough rows.
fn in_shares<T: Send>(out: &mut [T], work: impl Fn(usize, &mut [T]) + Sync) {
    let rows = out.len();
    let threads = if rows >= PARALLEL_FROM {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        1
    };
    let per = rows.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for (i, share) in out.chunks_mut(per).enumerate() {
            let work = &work;
            scope.spawn(move || work(i * per, share));
        }
    });
}

/// `out[i]` = the dot product of `q` with the `i`-th vector of `values`,
/// with AVX2 when the processor has it (twice as wide as the baseline).
fn dots_into(q: &[i8], values: &[i8], out: &mut [i32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor was just found to support AVX2.
        unsafe { dots_avx2(q, values, out) };
        return;
    }
    dots_plain(q, values, out);
}

fn dots_plain(q: &[i8], values: &[i8], out: &mut [i32]) {
    dots(q, values, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dots_avx2(q: &[i8], values: &[i8], out: &mut [i32]) {
    // The same loop, compiled for AVX2.
    dots(q, values, out);
}

#[inline(always)]
fn dots(q: &[i8], values: &[i8], out: &mut [i32]) {
    for (o, row) in out.iter_mut().zip(values.chunks_exact(q.len())) {
        *o = dot_i8(q, row);
    }
}

/// Every stored vector of a library, each owned by one paper (a paper may
/// own several: its title and abstract, its notes), laid out flat for a
/// scan.
///
/// A paper's vectors are adjacent rows. Replacing a paper's vectors (the
/// background job redid them, or computed its first) marks its old rows
/// dead and appends the new ones, so the set follows the job without
/// reading every vector again; dead rows are skipped by every scan until
/// [`VectorSet::worth_reloading`] says a fresh load would be smaller.
#[derive(Debug, Default, Clone)]
pub struct VectorSet {
    dims: usize,
    values: Vec<i8>,
    scales: Vec<f32>,
    /// The sign bits of each vector, `signature_words(dims)` words a row.
    signs: Vec<u64>,
    /// The paper of each row, as an index into `papers`, or [`DEAD`].
    owners: Vec<u32>,
    /// Every paper ever added, by index; a replaced paper keeps its old
    /// slot (with no rows) and takes a new one.
    papers: Vec<Arc<str>>,
    /// The first row and the number of rows of each paper slot.
    spans: Vec<(u32, u32)>,
    /// The live slot of each paper.
    slots: HashMap<Arc<str>, u32>,
    dead_rows: usize,
}

/// The owner of a row whose paper was replaced or dropped.
const DEAD: u32 = u32::MAX;

impl VectorSet {
    pub fn new(dims: usize) -> VectorSet {
        VectorSet {
            dims,
            ..VectorSet::default()
        }
    }

    /// Adds a vector of paper `id`. A paper's vectors come together (as
    /// the store loads them, ordered by paper and part); a paper met again
    /// later has its earlier vectors replaced.
    pub fn push(&mut self, id: &str, v: &Quantized) {
        if v.values.len() != self.dims {
            return; // another model's vector: never mixed in
        }
        let last = self.papers.len().checked_sub(1);
        let continues =
            last.is_some_and(|p| &*self.papers[p] == id && self.slots.get(id) == Some(&(p as u32)));
        if !continues {
            self.drop_paper(id);
            let id: Arc<str> = Arc::from(id);
            let slot = self.papers.len() as u32;
            self.papers.push(id.clone());
            self.spans.push((self.scales.len() as u32, 0));
            self.slots.insert(id, slot);
        }
        let slot = self.papers.len() - 1;
        self.spans[slot].1 += 1;
        self.owners.push(slot as u32);
        self.values.extend_from_slice(&v.values);
        push_signature(&v.values, &mut self.signs);
        self.scales.push(v.scale);
    }

    /// Makes `vectors` the vectors of paper `id` (none: the paper has
    /// none any more).
    pub fn replace(&mut self, id: &str, vectors: &[Quantized]) {
        self.drop_paper(id);
        for v in vectors {
            self.push(id, v);
        }
    }

    /// Marks the rows of paper `id` dead.
    fn drop_paper(&mut self, id: &str) {
        let Some(slot) = self.slots.remove(id) else {
            return;
        };
        let (first, count) = std::mem::take(&mut self.spans[slot as usize]);
        for row in first..first + count {
            self.owners[row as usize] = DEAD;
            self.scales[row as usize] = 0.0;
        }
        self.dead_rows += count as usize;
    }

    /// Whether so many rows are dead that loading the set afresh would
    /// pay (a quarter of the rows, and at least a thousand).
    pub fn worth_reloading(&self) -> bool {
        self.dead_rows >= 1000 && self.dead_rows * 4 >= self.scales.len()
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Vectors held (a paper may have several).
    pub fn vectors(&self) -> usize {
        self.scales.len() - self.dead_rows
    }

    /// Papers with at least one vector.
    pub fn papers(&self) -> usize {
        self.slots.len()
    }

    /// The ids of the papers' slots, in the order of
    /// [`VectorSet::scores`]; a replaced paper's old slot scores minus
    /// infinity.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.papers.iter().map(|p| &**p)
    }

    pub fn has(&self, id: &str) -> bool {
        self.slots.contains_key(id)
    }

    /// The vectors of paper `id`.
    pub fn of(&self, id: &str) -> Vec<Quantized> {
        let Some(&slot) = self.slots.get(id) else {
            return Vec::new();
        };
        let (first, count) = self.spans[slot as usize];
        (first as usize..(first + count) as usize)
            .map(|row| Quantized {
                scale: self.scales[row],
                values: self.values[row * self.dims..(row + 1) * self.dims].to_vec(),
            })
            .collect()
    }

    /// Each paper's best cosine with `query` (its closest vector), for
    /// every paper. Large sets are scanned on every core, each taking a
    /// share of the rows.
    pub fn scores(&self, query: &Quantized) -> Vec<f32> {
        let mut best = vec![f32::NEG_INFINITY; self.papers.len()];
        if query.values.len() != self.dims || self.dims == 0 {
            return best;
        }
        let rows = self.scales.len();
        let mut dots = vec![0i32; rows];
        let dims = self.dims;
        in_shares(&mut dots, |first, out| {
            let values = &self.values[first * dims..(first + out.len()) * dims];
            dots_into(&query.values, values, out);
        });
        for (row, dot) in dots.into_iter().enumerate() {
            let owner = self.owners[row];
            if owner == DEAD {
                continue;
            }
            let s = dot as f32 * query.scale * self.scales[row];
            let owner = owner as usize;
            if s > best[owner] {
                best[owner] = s;
            }
        }
        best
    }

    /// The `k` papers closest to `query`, best first, as (cosine, id),
    /// leaving out those `skip` says.
    pub fn nearest(
        &self,
        query: &Quantized,
        k: usize,
        skip: impl Fn(&str) -> bool,
    ) -> Vec<(f32, &str)> {
        self.nearest_by(query, k, skip, self.scales.len() >= PREFILTER_FROM)
    }

    /// [`VectorSet::nearest`], by an exact scan or with the signature
    /// prefilter as `prefilter` says.
    pub fn nearest_by(
        &self,
        query: &Quantized,
        k: usize,
        skip: impl Fn(&str) -> bool,
        prefilter: bool,
    ) -> Vec<(f32, &str)> {
        let scores: Vec<(f32, usize)> = if prefilter {
            self.prefiltered(query, k)
        } else {
            self.scores(query)
                .into_iter()
                .enumerate()
                .map(|(p, s)| (s, p))
                .collect()
        };
        let mut order: Vec<(f32, usize)> = scores
            .into_iter()
            .filter(|&(s, p)| s.is_finite() && !skip(&self.papers[p]))
            .collect();
        let by_score = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if order.len() > k && k > 0 {
            order.select_nth_unstable_by(k - 1, by_score);
            order.truncate(k);
        }
        order.sort_by(by_score);
        order.truncate(k);
        order
            .into_iter()
            .map(|(s, p)| (s, &*self.papers[p]))
            .collect()
    }

    /// The best cosine of each paper among the vectors whose signatures
    /// are closest to the query's, as (cosine, paper index).
    fn prefiltered(&self, query: &Quantized, k: usize) -> Vec<(f32, usize)> {
        let rows = self.scales.len();
        if query.values.len() != self.dims || self.dims == 0 || rows == 0 {
            return Vec::new();
        }
        let words = signature_words(self.dims);
        let mut q = Vec::with_capacity(words);
        push_signature(&query.values, &mut q);
        let mut distances = vec![0u16; rows];
        in_shares(&mut distances, |first, out| {
            distances_into(
                &q,
                &self.signs[first * words..(first + out.len()) * words],
                out,
            );
        });
        // The smallest distance that keeps enough rows, by counting.
        let wanted = (k.saturating_mul(RESCORED_PER_RESULT)).max(RESCORED_AT_LEAST);
        let mut counts = vec![0usize; self.dims + 1];
        for (&d, &owner) in distances.iter().zip(&self.owners) {
            if owner != DEAD {
                counts[(d as usize).min(self.dims)] += 1;
            }
        }
        let mut kept = 0;
        let mut cutoff = self.dims;
        for (d, &n) in counts.iter().enumerate() {
            kept += n;
            if kept >= wanted {
                cutoff = d;
                break;
            }
        }
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(kept);
        for (row, &d) in distances.iter().enumerate() {
            if d as usize > cutoff || self.owners[row] == DEAD {
                continue;
            }
            let values = &self.values[row * self.dims..(row + 1) * self.dims];
            let s = dot_i8(&query.values, values) as f32 * query.scale * self.scales[row];
            let owner = self.owners[row] as usize;
            // A paper's vectors are adjacent: its best is the last entry.
            match best.last_mut() {
                Some(last) if last.1 == owner => last.0 = last.0.max(s),
                _ => best.push((s, owner)),
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        crate::embed::model::normalised(v.to_vec())
    }

    #[test]
    fn quantized_dot_is_close_to_the_cosine() {
        let a = unit(&[0.3, -0.2, 0.9, 0.1, -0.5, 0.05]);
        let b = unit(&[0.2, -0.1, 0.8, 0.4, -0.3, -0.2]);
        let exact: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        let q = Quantized::from_floats(&a).dot(&Quantized::from_floats(&b));
        assert!((exact - q).abs() < 0.01, "{exact} vs {q}");
        let back = Quantized::from_bytes(
            Quantized::from_floats(&a).scale,
            &Quantized::from_floats(&a).bytes(),
        );
        assert_eq!(back, Quantized::from_floats(&a));
    }

    #[test]
    fn a_large_scan_on_every_core_gives_the_plain_dot_products() {
        let dims = 7;
        let mut set = VectorSet::new(dims);
        let mut state = 1u32;
        let mut vectors = Vec::new();
        for i in 0..PARALLEL_FROM + 3 {
            let v: Vec<f32> = (0..dims)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (state >> 16) as f32 / 65_536.0 - 0.5
                })
                .collect();
            let q = Quantized::from_floats(&unit(&v));
            set.push(&format!("{i:08}"), &q);
            vectors.push(q);
        }
        let query = vectors[17].clone();
        let scores = set.scores(&query);
        for (i, v) in vectors.iter().enumerate().step_by(997) {
            assert!((scores[i] - query.dot(v)).abs() < 1e-6, "{i}");
        }
        assert_eq!(set.nearest(&query, 1, |_| false)[0].1, "00000017");
    }

    #[test]
    fn the_signature_prefilter_finds_what_the_exact_scan_finds() {
        // Clustered vectors, as embeddings are: 200 topics, 60 papers each.
        let dims = 64;
        let mut state = 7u32;
        let mut next = move || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as f32 / 65_536.0 - 0.5
        };
        let topics: Vec<Vec<f32>> = (0..200)
            .map(|_| (0..dims).map(|_| next()).collect())
            .collect();
        let mut set = VectorSet::new(dims);
        let mut i = 0;
        for topic in &topics {
            for _ in 0..60 {
                let v: Vec<f32> = topic.iter().map(|x| x + 0.4 * next()).collect();
                set.push(&format!("{i:06}"), &Quantized::from_floats(&unit(&v)));
                i += 1;
            }
        }
        let mut found = 0;
        for topic in topics.iter().step_by(10) {
            let q = Quantized::from_floats(&unit(topic));
            let exact = set.nearest_by(&q, 10, |_| false, false);
            let quick = set.nearest_by(&q, 10, |_| false, true);
            assert_eq!(quick.len(), 10);
            // What the prefilter returns carries exact cosines.
            for (s, id) in &quick {
                let v = &set.of(id)[0];
                assert!((s - q.dot(v)).abs() < 1e-6);
            }
            found += quick.iter().filter(|x| exact.contains(x)).count();
        }
        assert!(found >= 190, "recall@10 {found}/200");
    }

    #[test]
    fn nearest_takes_each_papers_best_vector_and_skips() {
        let mut set = VectorSet::new(3);
        set.push("a", &Quantized::from_floats(&unit(&[1.0, 0.0, 0.0])));
        set.push("b", &Quantized::from_floats(&unit(&[0.0, 1.0, 0.0])));
        set.push("b", &Quantized::from_floats(&unit(&[0.9, 0.1, 0.0])));
        set.push("c", &Quantized::from_floats(&unit(&[0.0, 0.0, 1.0])));
        set.push("d", &Quantized::from_floats(&[1.0, 0.0])); // wrong size: left out
        assert_eq!(set.papers(), 3);
        let q = Quantized::from_floats(&unit(&[1.0, 0.05, 0.0]));
        let near: Vec<&str> = set
            .nearest(&q, 2, |_| false)
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(near, ["a", "b"]);
        let near: Vec<&str> = set
            .nearest(&q, 5, |id| id == "a")
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(near, ["b", "c"]);
        // The prefilter keeps every row of so small a set: the same answer.
        let near: Vec<&str> = set
            .nearest_by(&q, 5, |id| id == "a", true)
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(near, ["b", "c"]);
        assert_eq!(set.of("b").len(), 2);
        assert!(!set.has("d"));
    }

    #[test]
    fn a_replaced_paper_is_found_by_its_new_vectors_only() {
        let mut set = VectorSet::new(3);
        let x = Quantized::from_floats(&unit(&[1.0, 0.0, 0.0]));
        let y = Quantized::from_floats(&unit(&[0.0, 1.0, 0.0]));
        let z = Quantized::from_floats(&unit(&[0.0, 0.0, 1.0]));
        set.push("a", &x);
        set.push("b", &y);
        set.push("b", &x);
        set.push("c", &z);
        // The job redoes "b" with one vector and adds "d" out of id order.
        set.replace("b", std::slice::from_ref(&z));
        set.replace("0d", std::slice::from_ref(&y));
        assert_eq!((set.papers(), set.vectors()), (4, 4));
        assert_eq!(set.of("b"), vec![z.clone()]);
        for prefilter in [false, true] {
            let near: Vec<&str> = set
                .nearest_by(&x, 4, |_| false, prefilter)
                .into_iter()
                .map(|n| n.1)
                .collect();
            assert_eq!(near[0], "a", "prefilter {prefilter}");
            // "b" once, by its new vector, and after "a" and "0d".
            assert_eq!(near.iter().filter(|&&n| n == "b").count(), 1);
            let near_y = set.nearest_by(&y, 1, |_| false, prefilter);
            assert_eq!(near_y[0].1, "0d");
        }
        // The old slot of "b" scores minus infinity beside its id.
        let scores = set.scores(&z);
        let live: Vec<&str> = set
            .ids()
            .zip(&scores)
            .filter(|(_, s)| s.is_finite())
            .map(|(id, _)| id)
            .collect();
        assert_eq!(live, ["a", "c", "b", "0d"]);
        set.replace("c", &[]);
        assert!(!set.has("c"));
        assert_eq!((set.papers(), set.vectors()), (3, 3));
        assert!(!set.worth_reloading());
    }
}
