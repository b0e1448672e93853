//! Randomness that is identical on every machine: a xoshiro256** generator
//! seeded through SplitMix64 (one independent stream per item), Walker/Vose
//! alias tables with integer thresholds, and an affine shuffle that maps
//! indices onto unique identifiers.

/// SplitMix64 step.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn mix(x: u64) -> u64 {
    let mut state = x;
    splitmix(&mut state)
}

/// xoshiro256** seeded through SplitMix64.
#[derive(Debug, Clone)]
pub(in crate::bench) struct Rng([u64; 4]);

impl Rng {
    fn from_u64(seed: u64) -> Rng {
        let mut state = seed;
        Rng([
            splitmix(&mut state),
            splitmix(&mut state),
            splitmix(&mut state),
            splitmix(&mut state),
        ])
    }

    /// An independent stream for item `index` of kind `salt`.
    pub(in crate::bench) fn stream(seed: u64, salt: u64, index: u64) -> Rng {
        Rng::from_u64(mix(mix(seed ^ salt).wrapping_add(index)))
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-high.
    pub(in crate::bench) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(in crate::bench) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below((hi - lo + 1) as u64) as usize
    }

    pub(in crate::bench) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Two independent values in `0..100` from one draw.
    pub(super) fn two_percents(&mut self) -> (u64, u64) {
        let r = self.next_u64();
        (((r >> 32) * 100) >> 32, ((r & 0xFFFF_FFFF) * 100) >> 32)
    }

    /// A uniform element of a non-empty slice.
    pub(in crate::bench) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A uniform element of a non-empty slice of `Copy` values.
    pub(super) fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    pub(in crate::bench) fn shuffle<T>(&mut self, items: &mut [T]) {
        for k in (1..items.len()).rev() {
            let j = self.below(k as u64 + 1) as usize;
            items.swap(k, j);
        }
    }
}

/// Walker/Vose alias table over `values`, with integer thresholds so
/// sampling is O(1), takes one random number, and is identical on every
/// platform.
#[derive(Debug, Clone)]
pub(super) struct Alias<T> {
    pub(super) entries: Vec<AliasEntry<T>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct AliasEntry<T> {
    /// Keep `value` when the fractional draw is below this (out of 2^64).
    threshold: u64,
    value: T,
    alias: T,
}

impl<T: Copy> Alias<T> {
    /// `weights` (one per value) must be non-empty with a positive sum,
    /// which holds for every table built from the seed.
    pub(super) fn new(weights: &[u64], values: &[T]) -> Alias<T> {
        let n = weights.len();
        let full = u128::from(weights.iter().sum::<u64>().max(1));
        let mut scaled: Vec<u128> = weights.iter().map(|&w| u128::from(w) * n as u128).collect();
        let mut entries: Vec<AliasEntry<T>> = values
            .iter()
            .map(|&value| AliasEntry {
                threshold: u64::MAX,
                value,
                alias: value,
            })
            .collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&k| scaled[k] < full);
        while let (Some(s), Some(l)) = (small.pop(), large.pop()) {
            entries[s].threshold = ((scaled[s] << 64) / full) as u64;
            entries[s].alias = values[l];
            scaled[l] = scaled[l] + scaled[s] - full;
            if scaled[l] < full {
                small.push(l);
            } else {
                large.push(l);
            }
        }
        Alias { entries }
    }

    pub(super) fn sample(&self, rng: &mut Rng) -> T {
        let wide = u128::from(rng.next_u64()) * self.entries.len() as u128;
        let entry = &self.entries[(wide >> 64) as usize];
        if (wide as u64) < entry.threshold {
            entry.value
        } else {
            entry.alias
        }
    }
}

/// A bijection of `0..domain` (`x ↦ a·x + b mod domain`, `a` coprime with
/// the domain and near `domain/φ` so consecutive indices spread evenly);
/// values outside the domain map to themselves.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shuffle {
    pub(super) domain: u64,
    pub(super) mul: u64,
    pub(super) add: u64,
}

impl Shuffle {
    pub(super) fn new(domain: u64, seed: u64, salt: u64) -> Shuffle {
        let domain = domain.max(1);
        let mut rng = Rng::stream(seed, salt, 0);
        let golden = ((u128::from(domain) * 0x9E37_79B9_7F4A_7C15) >> 64) as u64;
        let mut mul = golden + rng.below(domain / 1000 + 1);
        while gcd(mul, domain) != 1 {
            mul += 1;
        }
        Shuffle {
            domain,
            mul,
            add: rng.below(domain),
        }
    }

    pub(super) fn apply(&self, x: u64) -> u64 {
        if x >= self.domain {
            return x;
        }
        ((u128::from(x) * u128::from(self.mul) + u128::from(self.add)) % u128::from(self.domain))
            as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
