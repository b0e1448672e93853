//! Matrix products on Intel's AMX tiles, in bf16 with f32 sums.
//!
//! A product `C = A · B` takes `A` as bf16 rows in memory and `B`
//! packed ahead into the tiles' pair-interleaved layout ([`Packed`]).
//! `C` is computed in 32×32 blocks: two 16-row tiles of `A` times two
//! 16-column tiles of `B` into four f32 tiles, 32 of `k` at a step.
//! So `A`'s rows are read in multiples of 32, `B`'s columns are padded
//! to a multiple of 32 and its `k` to a multiple of 32.
//!
//! The instructions are written with inline assembly, since Rust has no
//! stable AMX intrinsics; the kernel must let a process use the tiles
//! (`arch_prctl(ARCH_REQ_XCOMP_PERM)`), which [`on_tiles`] asks for once.
//!
//! Processors with AVX-512 bf16 dot products but no tiles (AMD's Zen 4
//! and later, Intel's Cooper Lake) compute the same products from the
//! same packed layout with `vdpbf16ps`, 8 rows by 32 columns at a time:
//! each row of a packed tile is one register of 16 column pairs.

use std::sync::OnceLock;

/// `arch_prctl` asks the kernel to let this process use a state component.
const ARCH_REQ_XCOMP_PERM: libc::c_int = 0x1023;
/// The state component of the tiles' data.
const XFEATURE_XTILEDATA: libc::c_ulong = 18;

/// Whether this CPU has the AVX-512 instructions the encoder needs,
/// bf16 dot products among them: the products then run, on the tiles
/// where [`on_tiles`] says so and in vector registers elsewhere.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx512vl")
            && std::is_x86_feature_detected!("avx512bf16")
            && std::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether this CPU has AMX with bf16 (besides [`available`]) and the
/// kernel lets this process use it.
pub fn on_tiles() -> bool {
    static TILES: OnceLock<bool> = OnceLock::new();
    *TILES.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::__cpuid_count;
            // CPUID leaf 7: EDX bit 22 is AMX-BF16, bit 24 AMX-TILE.
            let leaf = __cpuid_count(7, 0);
            let amx = leaf.edx & (1 << 22) != 0 && leaf.edx & (1 << 24) != 0;
            if !(available() && amx) {
                return false;
            }
            // SAFETY: a plain system call with integer arguments.
            let granted = unsafe {
                libc::syscall(
                    libc::SYS_arch_prctl,
                    ARCH_REQ_XCOMP_PERM,
                    XFEATURE_XTILEDATA,
                )
            };
            granted == 0
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    })
}

/// A float rounded to bf16 (to nearest, ties to even; NaN stays NaN).
#[inline(always)]
pub fn bf16(x: f32) -> u16 {
    let bits = x.to_bits();
    if x.is_nan() {
        return ((bits >> 16) | 0x40) as u16;
    }
    let round = 0x7fff + ((bits >> 16) & 1);
    (bits.wrapping_add(round) >> 16) as u16
}

/// The right-hand side of products, laid out as the tiles read it: for
/// each 16 columns and 32 of `k`, 16 rows of 16 column pairs
/// `(B[k][n], B[k+1][n])`, the tiles of one 16 columns following each
/// other along `k`.
pub struct Packed {
    /// Columns, a multiple of 32.
    pub n: usize,
    /// Steps of 32 along `k`.
    pub k_steps: usize,
    data: Vec<u16>,
}

/// bf16 values in one tile.
const TILE: usize = 16 * 32;

impl Packed {
    /// Packs `B[k][n] = src[n * stride + k]` for `n < n_real`, `k < k_real`
    /// (zero elsewhere): a weight matrix stored as (out, in), or the keys
    /// of attention, one row per key.
    pub fn from_rows_of_n(src: &[u16], stride: usize, n_real: usize, k_real: usize) -> Packed {
        Packed::pack(n_real, k_real, |k, n| src[n * stride + k])
    }

    /// Packs `B[k][n] = src[k * stride + n]` for `n < n_real`, `k < k_real`
    /// (zero elsewhere): the values of attention, one row per value.
    pub fn from_rows_of_k(src: &[u16], stride: usize, n_real: usize, k_real: usize) -> Packed {
        Packed::pack(n_real, k_real, |k, n| src[k * stride + n])
    }

    fn pack(n_real: usize, k_real: usize, at: impl Fn(usize, usize) -> u16) -> Packed {
        let n = n_real.div_ceil(32) * 32;
        let k_steps = k_real.div_ceil(32);
        let mut data = vec![0u16; (n / 16) * k_steps * TILE];
        for nb in 0..n / 16 {
            for kb in 0..k_steps {
                let tile = &mut data[(nb * k_steps + kb) * TILE..][..TILE];
                for r in 0..16 {
                    for e in 0..2 {
                        let k = kb * 32 + 2 * r + e;
                        if k >= k_real {
                            continue;
                        }
                        for j in 0..16 {
                            let col = nb * 16 + j;
                            if col < n_real {
                                tile[r * 32 + j * 2 + e] = at(k, col);
                            }
                        }
                    }
                }
            }
        }
        Packed { n, k_steps, data }
    }
}

/// The tile configuration: palette 1, all eight tiles 16 rows of 64 bytes.
#[repr(C, align(64))]
struct Config([u8; 64]);

const CONFIG: Config = {
    let mut bytes = [0u8; 64];
    bytes[0] = 1;
    let mut t = 0;
    while t < 8 {
        bytes[16 + 2 * t] = 64;
        bytes[48 + t] = 16;
        t += 1;
    }
    Config(bytes)
};

/// `C[i][j] = Σ_k A[i][k] · B[k][j]` for `i < m` (rounded up to 32) and
/// every column of `b`.
///
/// # Safety
/// [`available`] returned true; `a` holds `m.div_ceil(32) * 32` rows of
/// `lda` bf16 values with at least `32 * b.k_steps` readable in each;
/// `c` holds as many rows of `ldc >= b.n` floats.
pub unsafe fn matmul(a: *const u16, lda: usize, m: usize, b: &Packed, c: *mut f32, ldc: usize) {
    // SAFETY: passed on from the caller.
    unsafe {
        if on_tiles() {
            on_the_tiles(a, lda, m, b, c, ldc)
        } else {
            in_registers(a, lda, m, b, c, ldc)
        }
    }
}

/// [`matmul`] with `vdpbf16ps`: for each 32 columns of `b` (kept in the L1
/// cache), every 8 rows of `a` in 16 accumulators.
///
/// # Safety
/// As [`matmul`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512bf16")]
unsafe fn in_registers(a: *const u16, lda: usize, m: usize, b: &Packed, c: *mut f32, ldc: usize) {
    use std::arch::x86_64::*;
    const ROWS: usize = 8;
    let column_stride = b.k_steps * TILE;
    let rows = m.div_ceil(32) * 32;
    // SAFETY: every read of `a` is of row `< rows` and pair `< 16 *
    // k_steps`, every read of `b` inside its data, every write of `c` of
    // row `< rows` and column `< b.n`: within what the caller vouches for.
    unsafe {
        for nb in 0..b.n / 32 {
            let left = b.data.as_ptr().add(2 * nb * column_stride);
            let right = left.add(column_stride);
            for top in (0..rows).step_by(ROWS) {
                let mut acc = [[_mm512_setzero_ps(); 2]; ROWS];
                for kb in 0..b.k_steps {
                    for r in 0..16 {
                        let at = kb * TILE + r * 32;
                        let b0: __m512bh =
                            std::mem::transmute(_mm512_loadu_si512(left.add(at).cast()));
                        let b1: __m512bh =
                            std::mem::transmute(_mm512_loadu_si512(right.add(at).cast()));
                        let pair = kb * 32 + 2 * r;
                        for (i, acc) in acc.iter_mut().enumerate() {
                            let x = a.add((top + i) * lda + pair).cast::<i32>().read_unaligned();
                            let x: __m512bh = std::mem::transmute(_mm512_set1_epi32(x));
                            acc[0] = _mm512_dpbf16_ps(acc[0], x, b0);
                            acc[1] = _mm512_dpbf16_ps(acc[1], x, b1);
                        }
                    }
                }
                for (i, acc) in acc.iter().enumerate() {
                    let row = c.add((top + i) * ldc + nb * 32);
                    _mm512_storeu_ps(row, acc[0]);
                    _mm512_storeu_ps(row.add(16), acc[1]);
                }
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn in_registers(_: *const u16, _: usize, _: usize, _: &Packed, _: *mut f32, _: usize) {
    unreachable!("`available` is false off x86-64")
}

/// [`matmul`] on the tiles.
///
/// # Safety
/// As [`matmul`], and [`on_tiles`] returned true.
#[inline(never)]
unsafe fn on_the_tiles(a: *const u16, lda: usize, m: usize, b: &Packed, c: *mut f32, ldc: usize) {
    let lda_bytes = lda * 2;
    let ldc_bytes = ldc * 4;
    let column_stride = b.k_steps * TILE;
    // SAFETY: the caller vouches for the tiles and the buffers' sizes.
    unsafe {
        std::arch::asm!("ldtilecfg [{}]", in(reg) CONFIG.0.as_ptr(), options(nostack, readonly));
        // Each 32 columns of `b` (24 KB for 384 rows) stay in the L1
        // cache while every 32 rows of `a` pass by.
        for nb in 0..b.n / 32 {
            let b_left = b.data.as_ptr().add(2 * nb * column_stride);
            for mb in 0..m.div_ceil(32) {
                let a_top = a.add(mb * 32 * lda);
                block(
                    a_top,
                    a_top.add(16 * lda),
                    lda_bytes,
                    b_left,
                    b_left.add(column_stride),
                    b.k_steps,
                    c.add(mb * 32 * ldc + nb * 32),
                    ldc_bytes,
                );
            }
        }
        std::arch::asm!("tilerelease", options(nostack, nomem));
    }
}

/// One 32×32 block of `C` over all of `k`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn block(
    a_top: *const u16,
    a_bottom: *const u16,
    lda_bytes: usize,
    b_left: *const u16,
    b_right: *const u16,
    k_steps: usize,
    c: *mut f32,
    ldc_bytes: usize,
) {
    // SAFETY: see `matmul`; the loop runs `k_steps >= 1` times.
    unsafe {
        std::arch::asm!(
            "tilezero tmm0",
            "tilezero tmm1",
            "tilezero tmm2",
            "tilezero tmm3",
            "2:",
            "tileloadd tmm4, [{a0} + {lda}*1]",
            "tileloadd tmm6, [{b0} + {s64}*1]",
            "tdpbf16ps tmm0, tmm4, tmm6",
            "tileloadd tmm7, [{b1} + {s64}*1]",
            "tdpbf16ps tmm1, tmm4, tmm7",
            "tileloadd tmm5, [{a1} + {lda}*1]",
            "tdpbf16ps tmm2, tmm5, tmm6",
            "tdpbf16ps tmm3, tmm5, tmm7",
            "add {a0}, 64",
            "add {a1}, 64",
            "add {b0}, 1024",
            "add {b1}, 1024",
            "dec {steps}",
            "jnz 2b",
            "tilestored [{c0} + {ldc}*1], tmm0",
            "tilestored [{c1} + {ldc}*1], tmm1",
            "tilestored [{c2} + {ldc}*1], tmm2",
            "tilestored [{c3} + {ldc}*1], tmm3",
            a0 = inout(reg) a_top => _,
            a1 = inout(reg) a_bottom => _,
            b0 = inout(reg) b_left => _,
            b1 = inout(reg) b_right => _,
            steps = inout(reg) k_steps.max(1) => _,
            lda = in(reg) lda_bytes,
            s64 = in(reg) 64usize,
            c0 = in(reg) c,
            c1 = in(reg) c.add(16),
            c2 = in(reg) c.byte_add(16 * ldc_bytes),
            c3 = in(reg) c.byte_add(16 * ldc_bytes).add(16),
            ldc = in(reg) ldc_bytes,
            options(nostack),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic sequence of floats in [-1, 1).
    fn floats(len: usize, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state % 2000) as f32 / 1000.0 - 1.0
            })
            .collect()
    }

    fn widened(x: u16) -> f32 {
        f32::from_bits((x as u32) << 16)
    }

    #[test]
    fn bf16_rounds_to_nearest_even() {
        assert_eq!(bf16(1.0), 0x3f80);
        assert_eq!(widened(bf16(3.140625)), 3.140625);
        // 1 + 2^-8 lies halfway between two bf16 values: rounds to even.
        assert_eq!(bf16(1.0 + 1.0 / 256.0), 0x3f80);
        assert_eq!(bf16(1.0 + 3.0 / 256.0), 0x3f82);
        assert!(widened(bf16(f32::NAN)).is_nan());
    }

    #[test]
    fn products_match_the_plain_sum_with_ragged_sizes() {
        if !available() {
            eprintln!("no AVX-512 bf16 here: the products are not exercised");
            return;
        }
        // m, n and k that are not multiples of 32, both packings.
        let (m, n, k) = (45, 40, 70);
        let a: Vec<u16> = floats(64 * 96, 1).into_iter().map(bf16).collect();
        let lda = 96;
        let w: Vec<u16> = floats(n * k, 2).into_iter().map(bf16).collect();
        let by_n = Packed::from_rows_of_n(&w, k, n, k);
        // The same matrix stored the other way round.
        let mut t = vec![0u16; k * n];
        for row in 0..n {
            for col in 0..k {
                t[col * n + row] = w[row * k + col];
            }
        }
        let by_k = Packed::from_rows_of_k(&t, n, n, k);
        for packed in [&by_n, &by_k] {
            let ldc = packed.n;
            let mut c = vec![0f32; 64 * ldc];
            // SAFETY: checked above; 64 rows of 96 values, 64 rows of ldc.
            unsafe { in_registers(a.as_ptr(), lda, m, packed, c.as_mut_ptr(), ldc) };
            let mut tiles = vec![0f32; 64 * ldc];
            if on_tiles() {
                // SAFETY: as above, and the tiles are there.
                unsafe { on_the_tiles(a.as_ptr(), lda, m, packed, tiles.as_mut_ptr(), ldc) };
                for i in 0..m {
                    for j in 0..n {
                        let (x, y) = (c[i * ldc + j], tiles[i * ldc + j]);
                        assert!(
                            (x - y).abs() < 1e-4,
                            "C[{i}][{j}]: {x} in registers, {y} on the tiles"
                        );
                    }
                }
            }
            for i in 0..m {
                for j in 0..n {
                    let want: f32 = (0..k)
                        .map(|x| widened(a[i * lda + x]) * widened(w[j * k + x]))
                        .sum();
                    let got = c[i * ldc + j];
                    assert!(
                        (got - want).abs() < 1e-3,
                        "C[{i}][{j}] = {got}, want {want}"
                    );
                }
            }
        }
    }
}
