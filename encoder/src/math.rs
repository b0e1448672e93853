//! The encoder's arithmetic between matrix products: layer norm, GELU,
//! softmax and conversion to bf16, in AVX-512 (each public function is
//! compiled for it; callers check [`crate::amx::available`] first).
//!
//! `exp` and `erf` are polynomial approximations (relative error about
//! 1e-7): the library's versions are scalar calls.

use std::arch::x86_64::*;

/// Lanes in a vector.
const LANES: usize = 16;

/// The lanes of a row's `i`th vector that fall within `len`.
#[inline(always)]
fn lanes(i: usize, len: usize) -> __mmask16 {
    let left = len - i;
    if left >= LANES {
        0xffff
    } else {
        ((1u32 << left) - 1) as __mmask16
    }
}

/// `e^x` for any float: 0 far below, large far above.
#[inline]
#[target_feature(enable = "avx512f")]
fn exp(x: __m512) -> __m512 {
    let x = _mm512_max_ps(
        _mm512_min_ps(x, _mm512_set1_ps(88.0)),
        _mm512_set1_ps(-87.0),
    );
    let y = _mm512_mul_ps(x, _mm512_set1_ps(std::f32::consts::LOG2_E));
    let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(y);
    let f = _mm512_mul_ps(_mm512_sub_ps(y, n), _mm512_set1_ps(std::f32::consts::LN_2));
    // e^f for |f| <= ln 2 / 2, Taylor to the sixth power.
    let mut p = _mm512_set1_ps(1.0 / 720.0);
    for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(c));
    }
    _mm512_scalef_ps(p, n)
}

/// The error function (Abramowitz and Stegun 7.1.26).
#[inline]
#[target_feature(enable = "avx512f")]
fn erf(x: __m512) -> __m512 {
    let a = _mm512_abs_ps(x);
    let one = _mm512_set1_ps(1.0);
    // An approximate reciprocal (error 2^-14) is plenty: GELU's output is
    // rounded to bf16 (2^-9) next.
    let t = _mm512_rcp14_ps(_mm512_fmadd_ps(_mm512_set1_ps(0.327_591_1), a, one));
    let mut p = _mm512_set1_ps(1.061_405_4);
    for c in [-1.453_152_1, 1.421_413_7, -0.284_496_74, 0.254_829_6] {
        p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(c));
    }
    p = _mm512_mul_ps(p, t);
    let y = _mm512_fnmadd_ps(
        p,
        exp(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a))),
        one,
    );
    let sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(i32::MIN));
    _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(y), sign))
}

/// Stores the lanes of `m` of `v` rounded to bf16 at `dst`.
///
/// # Safety
/// `dst` has room for the lanes of `m`.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
unsafe fn store_bf16(dst: *mut u16, m: __mmask16, v: __m512) {
    // SAFETY: same layout (16 × 16 bits); the caller vouches for `dst`.
    unsafe {
        let h: __m256i = std::mem::transmute(_mm512_cvtneps_pbh(v));
        _mm256_mask_storeu_epi16(dst.cast(), m, h);
    }
}

/// Each float rounded to bf16 (to nearest, ties to even).
///
/// # Safety
/// The CPU has AVX-512 (F, BW, VL, BF16).
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn to_bf16(src: &[f32], dst: &mut [u16]) {
    let len = src.len().min(dst.len());
    for i in (0..len).step_by(LANES) {
        let m = lanes(i, len);
        // SAFETY: the mask keeps the loads and stores within `len`.
        unsafe {
            let v = _mm512_maskz_loadu_ps(m, src.as_ptr().add(i));
            store_bf16(dst.as_mut_ptr().add(i), m, v);
        }
    }
}

/// `dst = bf16(src + bias)` row by row: `src` and `dst` hold rows of
/// `bias.len()`.
///
/// # Safety
/// As [`to_bf16`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn bias_to_bf16(src: &[f32], bias: &[f32], dst: &mut [u16]) {
    let width = bias.len();
    for (row, out) in src.chunks_exact(width).zip(dst.chunks_exact_mut(width)) {
        for i in (0..width).step_by(LANES) {
            let m = lanes(i, width);
            // SAFETY: the mask keeps every access within `width`.
            unsafe {
                let v = _mm512_maskz_loadu_ps(m, row.as_ptr().add(i));
                let b = _mm512_maskz_loadu_ps(m, bias.as_ptr().add(i));
                store_bf16(out.as_mut_ptr().add(i), m, _mm512_add_ps(v, b));
            }
        }
    }
}

/// `dst = bf16(gelu(src + bias))` row by row, the exact (erf) form of
/// GELU that BERT uses; `src` and `dst` hold rows of `bias.len()`.
///
/// # Safety
/// As [`to_bf16`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn bias_gelu_bf16(src: &[f32], bias: &[f32], dst: &mut [u16]) {
    let width = bias.len();
    let half = _mm512_set1_ps(0.5);
    let one = _mm512_set1_ps(1.0);
    let root_half = _mm512_set1_ps(std::f32::consts::FRAC_1_SQRT_2);
    for (row, out) in src.chunks_exact(width).zip(dst.chunks_exact_mut(width)) {
        for i in (0..width).step_by(LANES) {
            let m = lanes(i, width);
            // SAFETY: the mask keeps every access within `width`.
            unsafe {
                let z = _mm512_add_ps(
                    _mm512_maskz_loadu_ps(m, row.as_ptr().add(i)),
                    _mm512_maskz_loadu_ps(m, bias.as_ptr().add(i)),
                );
                let e = _mm512_add_ps(one, erf(_mm512_mul_ps(z, root_half)));
                let g = _mm512_mul_ps(_mm512_mul_ps(half, z), e);
                store_bf16(out.as_mut_ptr().add(i), m, g);
            }
        }
    }
}

/// `x = layer_norm(x + y + bias)` for each row: the residual sum, then
/// normalised to mean 0 and variance 1 and scaled by `gamma`, `beta`;
/// `xb` gets `x` in bf16.
///
/// # Safety
/// As [`to_bf16`].
#[allow(clippy::too_many_arguments)]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn residual_norm(
    x: &mut [f32],
    y: &[f32],
    bias: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
    xb: &mut [u16],
) {
    let width = gamma.len();
    let rows = x.chunks_exact_mut(width).zip(y.chunks(width));
    for ((row, add), out) in rows.zip(xb.chunks_exact_mut(width)) {
        for i in (0..width).step_by(LANES) {
            let m = lanes(i, width);
            // SAFETY: the mask keeps every access within `width`.
            unsafe {
                let v = _mm512_maskz_loadu_ps(m, row.as_ptr().add(i));
                let a = _mm512_maskz_loadu_ps(m, add.as_ptr().add(i));
                let b = _mm512_maskz_loadu_ps(m, bias.as_ptr().add(i));
                _mm512_mask_storeu_ps(
                    row.as_mut_ptr().add(i),
                    m,
                    _mm512_add_ps(v, _mm512_add_ps(a, b)),
                );
            }
        }
        // SAFETY: same features as this function.
        unsafe {
            norm_row(row, gamma, beta, eps);
            to_bf16(row, out);
        }
    }
}

/// One row normalised in place (`row`, `gamma` and `beta` of one length).
///
/// # Safety
/// As [`to_bf16`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn norm_row(row: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let width = row.len().min(gamma.len()).min(beta.len());
    let mut sum = _mm512_setzero_ps();
    for i in (0..width).step_by(LANES) {
        // SAFETY: the mask keeps the load within `width`.
        sum = _mm512_add_ps(sum, unsafe {
            _mm512_maskz_loadu_ps(lanes(i, width), row.as_ptr().add(i))
        });
    }
    let mean = _mm512_set1_ps(_mm512_reduce_add_ps(sum) / width as f32);
    let mut squares = _mm512_setzero_ps();
    for i in (0..width).step_by(LANES) {
        let m = lanes(i, width);
        // SAFETY: as above.
        let d = _mm512_maskz_sub_ps(
            m,
            unsafe { _mm512_maskz_loadu_ps(m, row.as_ptr().add(i)) },
            mean,
        );
        squares = _mm512_fmadd_ps(d, d, squares);
    }
    let inv = 1.0 / (_mm512_reduce_add_ps(squares) / width as f32 + eps).sqrt();
    let inv = _mm512_set1_ps(inv);
    for i in (0..width).step_by(LANES) {
        let m = lanes(i, width);
        // SAFETY: as above.
        unsafe {
            let v = _mm512_maskz_loadu_ps(m, row.as_ptr().add(i));
            let g = _mm512_maskz_loadu_ps(m, gamma.as_ptr().add(i));
            let b = _mm512_maskz_loadu_ps(m, beta.as_ptr().add(i));
            let scaled = _mm512_mul_ps(_mm512_sub_ps(v, mean), inv);
            _mm512_mask_storeu_ps(row.as_mut_ptr().add(i), m, _mm512_fmadd_ps(scaled, g, b));
        }
    }
}

/// The numerators of a softmax: `out[j] = e^((scores[j] - max) * scale)`
/// in bf16 for `j < len`, 0 for the rest of `out`; returns their sum, by
/// which the caller divides what it computes from them.
///
/// # Safety
/// As [`to_bf16`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn softmax_numerators(scores: &[f32], len: usize, scale: f32, out: &mut [u16]) -> f32 {
    let len = len.min(scores.len()).min(out.len());
    let mut max = _mm512_set1_ps(f32::NEG_INFINITY);
    for i in (0..len).step_by(LANES) {
        // SAFETY: the mask keeps the load within `len`.
        let v = unsafe { _mm512_mask_loadu_ps(max, lanes(i, len), scores.as_ptr().add(i)) };
        max = _mm512_max_ps(max, v);
    }
    let max = _mm512_set1_ps(_mm512_reduce_max_ps(max));
    let scale = _mm512_set1_ps(scale);
    let mut sum = _mm512_setzero_ps();
    for i in (0..len).step_by(LANES) {
        let m = lanes(i, len);
        // SAFETY: as above.
        unsafe {
            let v = _mm512_maskz_loadu_ps(m, scores.as_ptr().add(i));
            let e = _mm512_maskz_mov_ps(m, exp(_mm512_mul_ps(_mm512_sub_ps(v, max), scale)));
            sum = _mm512_add_ps(sum, e);
            store_bf16(out.as_mut_ptr().add(i), m, e);
        }
    }
    out[len..].fill(0);
    _mm512_reduce_add_ps(sum)
}

/// `dst = bf16(src * factor)`.
///
/// # Safety
/// As [`to_bf16`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
pub unsafe fn scaled_bf16(src: &[f32], factor: f32, dst: &mut [u16]) {
    let len = src.len().min(dst.len());
    let factor = _mm512_set1_ps(factor);
    for i in (0..len).step_by(LANES) {
        let m = lanes(i, len);
        // SAFETY: the mask keeps the accesses within `len`.
        unsafe {
            let v = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, src.as_ptr().add(i)), factor);
            store_bf16(dst.as_mut_ptr().add(i), m, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `f` of one float, through a vector.
    fn one(f: unsafe fn(__m512) -> __m512, x: f32) -> f32 {
        let mut out = [0f32; LANES];
        // SAFETY: only called where `available()` held.
        unsafe { _mm512_storeu_ps(out.as_mut_ptr(), f(_mm512_set1_ps(x))) };
        out[0]
    }

    #[test]
    fn exp_and_erf_are_close_to_the_library() {
        if !crate::amx::available() {
            return;
        }
        for i in -2000..2000 {
            let x = i as f32 / 100.0;
            let (got, want) = (one(exp, x), x.exp());
            assert!(
                ((got - want) / want).abs() < 2e-6,
                "exp({x}) = {got}, want {want}"
            );
        }
        assert!(one(exp, -1000.0) < 1e-37);
        // erf against values from a table.
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
        ] {
            let got = one(erf, x);
            assert!((got - want).abs() < 1e-4, "erf({x}) = {got}");
        }
    }

    #[test]
    fn norm_and_gelu_match_plain_arithmetic_on_ragged_rows() {
        if !crate::amx::available() {
            return;
        }
        let width = 37;
        let row: Vec<f32> = (0..width).map(|i| (i as f32 * 0.37).sin() * 3.0).collect();
        let gamma: Vec<f32> = (0..width).map(|i| 1.0 + i as f32 / 100.0).collect();
        let beta: Vec<f32> = (0..width).map(|i| i as f32 / 50.0).collect();
        let mut normed = row.clone();
        // SAFETY: checked above.
        unsafe { norm_row(&mut normed, &gamma, &beta, 1e-12) };
        let mean = row.iter().sum::<f32>() / width as f32;
        let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / width as f32;
        for i in 0..width {
            let want = (row[i] - mean) / var.sqrt() * gamma[i] + beta[i];
            assert!(
                (normed[i] - want).abs() < 1e-4,
                "{i}: {} vs {want}",
                normed[i]
            );
        }
        let zero = vec![0.0; width];
        let gelu_of = |x: &[f32]| {
            let mut out = vec![0u16; x.len()];
            // SAFETY: checked above.
            unsafe { bias_gelu_bf16(x, &zero, &mut out) };
            out.iter()
                .map(|&h| f32::from_bits((h as u32) << 16))
                .collect::<Vec<f32>>()
        };
        let gelu = gelu_of(&row);
        // GELU(1) and GELU(-1) from a table, and the tails.
        // bf16 keeps 8 bits: compare to within its rounding.
        let at = |x: f32| gelu_of(&vec![x; width])[width - 1];
        assert!((at(1.0) - 0.841_344_7).abs() < 4e-3);
        assert!((at(-1.0) + 0.158_655_3).abs() < 1e-3);
        assert!(at(-10.0).abs() < 1e-6 && (at(10.0) - 10.0).abs() < 4e-2);
        assert!(
            gelu.iter()
                .zip(&row)
                .all(|(g, x)| g.is_finite() && (*g <= x.max(0.0) * 1.004 + 1e-6))
        );
    }

    #[test]
    fn softmax_sums_to_one_and_pads_with_zero() {
        if !crate::amx::available() {
            return;
        }
        let scores = vec![1.0, 2.0, 3.0, 99.0];
        let mut out = vec![7u16; 6];
        // SAFETY: available() implies the vector features.
        let sum = unsafe { softmax_numerators(&scores, 3, 1.0, &mut out) };
        let widened: Vec<f32> = out
            .iter()
            .map(|&b| f32::from_bits((b as u32) << 16) / sum)
            .collect();
        let sum: f32 = widened.iter().sum();
        assert!((sum - 1.0).abs() < 1e-2, "{widened:?}");
        assert!((widened[2] - 0.665).abs() < 5e-3, "{widened:?}");
        assert_eq!(&out[3..], &[0, 0, 0]);
    }
}
