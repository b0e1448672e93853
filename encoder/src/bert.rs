//! A BERT encoder's forward pass, mean-pooled: the sentence-transformers
//! recipe of all-MiniLM-L6-v2 and its kin.
//!
//! The sequences of a call are laid end to end, with no padding between
//! them, so the dense layers run once over all their tokens; attention
//! runs per sequence and head. Matrix products are bf16 with f32 sums, on
//! AMX tiles or with AVX-512 dot products ([`crate::amx`]); the residual stream, layer norms, GELU and
//! softmax stay in f32 ([`crate::math`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::amx::{self, Packed};
use crate::math;

/// The sizes of a BERT model, as its `config.json` gives them.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub hidden: usize,
    pub heads: usize,
    pub layers: usize,
    pub intermediate: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f32,
}

/// Tokens run through the layers at once by one thread: about one
/// abstract. Measured on two cores, runs of 256 tokens embed 121–126
/// abstracts a second, of 512 109–113, of 1024 99–105 and of 2048 81–84:
/// the smaller the run, the more of its activations stay in the caches.
const TOKENS_PER_RUN: usize = 256;

struct Layer {
    /// Query, key and value weights side by side: `3 * hidden` columns.
    qkv: Packed,
    qkv_bias: Vec<f32>,
    out: Packed,
    out_bias: Vec<f32>,
    out_gamma: Vec<f32>,
    out_beta: Vec<f32>,
    up: Packed,
    up_bias: Vec<f32>,
    down: Packed,
    down_bias: Vec<f32>,
    down_gamma: Vec<f32>,
    down_beta: Vec<f32>,
}

/// A loaded BERT encoder.
pub struct Bert {
    shape: Shape,
    words: Vec<f32>,
    /// Each position's embedding plus token type 0's.
    positions: Vec<f32>,
    gamma: Vec<f32>,
    beta: Vec<f32>,
    layers: Vec<Layer>,
    /// Buffers of finished runs, kept for the next: about 5 MB a thread
    /// for MiniLM.
    spare: Mutex<Vec<Scratch>>,
}

impl Bert {
    /// Loads the weights that `tensor` reads by their usual names
    /// (`embeddings.word_embeddings.weight`, `encoder.layer.0…`), as flat
    /// f32 rows. Fails when this CPU cannot run it, when the sizes do not
    /// fit the tiles (hidden, intermediate and head sizes multiples of
    /// 32), or when a tensor is missing or of the wrong size.
    pub fn load(
        shape: Shape,
        tensor: &mut dyn FnMut(&str) -> Result<Vec<f32>, String>,
    ) -> Result<Bert, String> {
        if !amx::available() {
            return Err("this CPU offers no AVX-512 with bf16 dot products".into());
        }
        let Shape {
            hidden: d,
            heads,
            intermediate,
            ..
        } = shape;
        if heads == 0 || d % heads != 0 || (d / heads) % 32 != 0 || intermediate % 32 != 0 {
            return Err(format!(
                "hidden size {d}, {heads} heads and intermediate size {intermediate} do not fit 32-wide tiles"
            ));
        }
        let mut get = |name: &str, len: usize| -> Result<Vec<f32>, String> {
            let values = tensor(name)?;
            if values.len() != len {
                return Err(format!("{name} has {} values, not {len}", values.len()));
            }
            Ok(values)
        };
        let words = get("embeddings.word_embeddings.weight", shape.vocab * d)?;
        let mut positions = get(
            "embeddings.position_embeddings.weight",
            shape.max_positions * d,
        )?;
        let types = get(
            "embeddings.token_type_embeddings.weight",
            shape.type_vocab.max(1) * d,
        )?;
        for row in positions.chunks_exact_mut(d) {
            row.iter_mut().zip(&types[..d]).for_each(|(p, t)| *p += t);
        }
        let gamma = get("embeddings.LayerNorm.weight", d)?;
        let beta = get("embeddings.LayerNorm.bias", d)?;
        let mut layers = Vec::with_capacity(shape.layers);
        for i in 0..shape.layers {
            let p = format!("encoder.layer.{i}");
            let weights = |values: Vec<f32>, n: usize, k: usize| {
                let halves: Vec<u16> = values.into_iter().map(amx::bf16).collect();
                Packed::from_rows_of_n(&halves, k, n, k)
            };
            let mut qkv = Vec::with_capacity(3 * d * d);
            let mut qkv_bias = Vec::with_capacity(3 * d);
            for part in ["query", "key", "value"] {
                qkv.extend(get(&format!("{p}.attention.self.{part}.weight"), d * d)?);
                qkv_bias.extend(get(&format!("{p}.attention.self.{part}.bias"), d)?);
            }
            layers.push(Layer {
                qkv: weights(qkv, 3 * d, d),
                qkv_bias,
                out: weights(
                    get(&format!("{p}.attention.output.dense.weight"), d * d)?,
                    d,
                    d,
                ),
                out_bias: get(&format!("{p}.attention.output.dense.bias"), d)?,
                out_gamma: get(&format!("{p}.attention.output.LayerNorm.weight"), d)?,
                out_beta: get(&format!("{p}.attention.output.LayerNorm.bias"), d)?,
                up: weights(
                    get(&format!("{p}.intermediate.dense.weight"), intermediate * d)?,
                    intermediate,
                    d,
                ),
                up_bias: get(&format!("{p}.intermediate.dense.bias"), intermediate)?,
                down: weights(
                    get(&format!("{p}.output.dense.weight"), d * intermediate)?,
                    d,
                    intermediate,
                ),
                down_bias: get(&format!("{p}.output.dense.bias"), d)?,
                down_gamma: get(&format!("{p}.output.LayerNorm.weight"), d)?,
                down_beta: get(&format!("{p}.output.LayerNorm.bias"), d)?,
            });
        }
        Ok(Bert {
            shape,
            words,
            positions,
            gamma,
            beta,
            layers,
            spare: Mutex::new(Vec::new()),
        })
    }

    /// The mean of the last layer's token states for each sequence of
    /// token ids (not normalised), on all cores when there are enough
    /// tokens. Sequences longer than the model's positions are cut; ids
    /// outside the vocabulary read as id 0.
    pub fn embed(&self, sequences: &[&[u32]]) -> Vec<Vec<f32>> {
        let cut: Vec<&[u32]> = sequences
            .iter()
            .map(|s| &s[..s.len().min(self.shape.max_positions)])
            .collect();
        // Runs of consecutive sequences of about TOKENS_PER_RUN tokens.
        let mut runs = Vec::new();
        let (mut start, mut tokens) = (0, 0);
        for (i, s) in cut.iter().enumerate() {
            if tokens > 0 && tokens + s.len() > TOKENS_PER_RUN {
                runs.push(start..i);
                (start, tokens) = (i, 0);
            }
            tokens += s.len();
        }
        if start < cut.len() {
            runs.push(start..cut.len());
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(runs.len());
        if threads <= 1 {
            let mut scratch = self.take_scratch();
            let pooled = runs
                .into_iter()
                .flat_map(|r| self.forward(&cut[r], &mut scratch))
                .collect();
            self.give_back(scratch);
            return pooled;
        }
        let next = AtomicUsize::new(0);
        let results = Mutex::new(vec![Vec::new(); runs.len()]);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    let mut scratch = self.take_scratch();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(range) = runs.get(i) else { break };
                        let pooled = self.forward(&cut[range.clone()], &mut scratch);
                        if let Ok(mut results) = results.lock() {
                            results[i] = pooled;
                        }
                    }
                    self.give_back(scratch);
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    }

    fn take_scratch(&self) -> Scratch {
        self.spare
            .lock()
            .ok()
            .and_then(|mut s| s.pop())
            .unwrap_or_default()
    }

    fn give_back(&self, scratch: Scratch) {
        if let Ok(mut spare) = self.spare.lock() {
            spare.push(scratch);
        }
    }

    /// The pooled states of a few sequences, on this thread.
    fn forward(&self, sequences: &[&[u32]], s: &mut Scratch) -> Vec<Vec<f32>> {
        let Shape {
            hidden: d,
            heads,
            intermediate: inner,
            eps,
            ..
        } = self.shape;
        let head = d / heads;
        let tokens: usize = sequences.iter().map(|s| s.len()).sum();
        // Products read rows in blocks of 32; attention reads up to 31
        // rows past a sequence's end.
        let rows = tokens.div_ceil(32) * 32 + 32;
        s.grow(rows, d, inner);
        let mut starts = Vec::with_capacity(sequences.len());
        let mut row = 0;
        for ids in sequences {
            starts.push(row);
            for (position, &id) in ids.iter().enumerate() {
                let id = if (id as usize) < self.shape.vocab {
                    id as usize
                } else {
                    0
                };
                let x = &mut s.x[row * d..][..d];
                let word = &self.words[id * d..][..d];
                let place = &self.positions[position * d..][..d];
                for ((x, w), p) in x.iter_mut().zip(word).zip(place) {
                    *x = w + p;
                }
                // SAFETY: `load` checked `amx::available`, which checks
                // the vector features every `math` function needs.
                unsafe {
                    math::norm_row(x, &self.gamma, &self.beta, eps);
                    math::to_bf16(x, &mut s.xb[row * d..][..d]);
                }
                row += 1;
            }
        }
        let scale = 1.0 / (head as f32).sqrt();
        for layer in &self.layers {
            // SAFETY: as above for `math`; every buffer has `rows` rows of
            // the width passed, which `amx::matmul` reads and writes.
            unsafe {
                amx::matmul(
                    s.xb.as_ptr(),
                    d,
                    tokens,
                    &layer.qkv,
                    s.qkv.as_mut_ptr(),
                    3 * d,
                );
                math::bias_to_bf16(
                    &s.qkv[..tokens * 3 * d],
                    &layer.qkv_bias,
                    &mut s.qkvb[..tokens * 3 * d],
                );
                for (ids, &start) in sequences.iter().zip(&starts) {
                    let len = ids.len();
                    for h in 0..heads {
                        self.attend(s, start, len, h * head, scale);
                    }
                }
                amx::matmul(
                    s.ctxb.as_ptr(),
                    d,
                    tokens,
                    &layer.out,
                    s.proj.as_mut_ptr(),
                    d,
                );
                math::residual_norm(
                    &mut s.x[..tokens * d],
                    &s.proj,
                    &layer.out_bias,
                    &layer.out_gamma,
                    &layer.out_beta,
                    eps,
                    &mut s.xb[..tokens * d],
                );
                amx::matmul(
                    s.xb.as_ptr(),
                    d,
                    tokens,
                    &layer.up,
                    s.inner.as_mut_ptr(),
                    inner,
                );
                math::bias_gelu_bf16(
                    &s.inner[..tokens * inner],
                    &layer.up_bias,
                    &mut s.innerb[..tokens * inner],
                );
                amx::matmul(
                    s.innerb.as_ptr(),
                    inner,
                    tokens,
                    &layer.down,
                    s.proj.as_mut_ptr(),
                    d,
                );
                math::residual_norm(
                    &mut s.x[..tokens * d],
                    &s.proj,
                    &layer.down_bias,
                    &layer.down_gamma,
                    &layer.down_beta,
                    eps,
                    &mut s.xb[..tokens * d],
                );
            }
        }
        sequences
            .iter()
            .zip(&starts)
            .map(|(ids, &start)| {
                let mut mean = vec![0f32; d];
                for row in s.x[start * d..(start + ids.len()) * d].chunks_exact(d) {
                    mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
                }
                let n = ids.len().max(1) as f32;
                mean.iter_mut().for_each(|m| *m /= n);
                mean
            })
            .collect()
    }

    /// One head's attention over the sequence at rows `start..start+len`,
    /// written in bf16 into `ctxb` at columns `column..column+head`.
    ///
    /// # Safety
    /// As in `forward`: AMX is available and the buffers are grown.
    #[inline(never)]
    unsafe fn attend(&self, s: &mut Scratch, start: usize, len: usize, column: usize, scale: f32) {
        if len == 0 {
            return;
        }
        let d = self.shape.hidden;
        let head = d / self.shape.heads;
        let stride = 3 * d;
        let base = start * stride;
        let keys = Packed::from_rows_of_n(&s.qkvb[base + d + column..], stride, len, head);
        let width = keys.n;
        s.scores.resize(width * width, 0.0);
        s.probs.resize(width * width, 0);
        s.heads.resize(width * head, 0.0);
        // SAFETY: see above; scores and probs are width × width, heads is
        // width × head, and the queries' rows lie within the grown rows.
        unsafe {
            amx::matmul(
                s.qkvb.as_ptr().add(base + column),
                stride,
                len,
                &keys,
                s.scores.as_mut_ptr(),
                width,
            );
            s.sums.clear();
            for i in 0..len {
                s.sums.push(math::softmax_numerators(
                    &s.scores[i * width..][..width],
                    len,
                    scale,
                    &mut s.probs[i * width..][..width],
                ));
            }
            let values =
                Packed::from_rows_of_k(&s.qkvb[base + 2 * d + column..], stride, head, len);
            amx::matmul(
                s.probs.as_ptr(),
                width,
                len,
                &values,
                s.heads.as_mut_ptr(),
                head,
            );
            // Each row divided by its softmax's denominator.
            for (i, sum) in s.sums.iter().enumerate() {
                math::scaled_bf16(
                    &s.heads[i * head..][..head],
                    1.0 / sum,
                    &mut s.ctxb[(start + i) * d + column..][..head],
                );
            }
        }
    }
}

/// One thread's buffers, kept between runs.
#[derive(Default)]
struct Scratch {
    x: Vec<f32>,
    xb: Vec<u16>,
    qkv: Vec<f32>,
    qkvb: Vec<u16>,
    ctxb: Vec<u16>,
    proj: Vec<f32>,
    inner: Vec<f32>,
    innerb: Vec<u16>,
    scores: Vec<f32>,
    probs: Vec<u16>,
    heads: Vec<f32>,
    /// Each query's softmax denominator.
    sums: Vec<f32>,
}

impl Scratch {
    fn grow(&mut self, rows: usize, d: usize, inner: usize) {
        let fit = |v: &mut Vec<f32>, len: usize| {
            if v.len() < len {
                v.resize(len, 0.0);
            }
        };
        fit(&mut self.x, rows * d);
        fit(&mut self.qkv, rows * 3 * d);
        fit(&mut self.proj, rows * d);
        fit(&mut self.inner, rows * inner);
        let fit = |v: &mut Vec<u16>, len: usize| {
            if v.len() < len {
                v.resize(len, 0);
            }
        };
        fit(&mut self.xb, rows * d);
        fit(&mut self.qkvb, rows * 3 * d);
        fit(&mut self.ctxb, rows * d);
        fit(&mut self.innerb, rows * inner);
    }
}
