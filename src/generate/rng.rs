//! Deterministic pseudo-random numbers for the generator: SplitMix64 to seed, xoshiro256** to draw.
//!
//! Inputs: a `u64` seed and, for independent streams, a stream tag and an index. Outputs: numbers,
//! picks and shuffles that are identical on every platform for the same seed, so generated files
//! are byte-identical run to run. Hand-written on purpose: no dependency whose algorithm could
//! change under us.

/// One step of SplitMix64: advances `state` and returns a well-mixed 64-bit value.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Mixes several values into one 64-bit hash (for deriving independent streams).
pub fn mix(parts: &[u64]) -> u64 {
    let mut state = 0x5851_F42D_4C95_7F2D_u64;
    let mut h = 0;
    for &p in parts {
        state ^= p;
        h ^= splitmix64(&mut state);
        state = h;
    }
    h
}

/// xoshiro256** generator.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded from `seed` through SplitMix64.
    pub fn new(seed: u64) -> Rng {
        let mut st = seed;
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        let mut rng = Rng { s };
        // Warm up: the first outputs of nearby seeds are less independent than later ones.
        for _ in 0..4 {
            rng.next_u64();
        }
        rng
    }

    /// An independent generator for (`seed`, `stream`, `index`): the same triple always gives the
    /// same sequence, whatever else was drawn before.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        Rng::new(mix(&[seed, stream, index]))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; `n` = 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi - lo + 1)
    }

    /// Uniform index into a slice of length `len`.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// A uniformly chosen element (the slice must not be empty).
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.index(xs.len())]
    }

    /// An index chosen with probability proportional to `weights`.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }

    /// An index in `0..n` skewed towards small values (a few very active parties, a long tail):
    /// roughly Zipf-like, `n·u^k`.
    pub fn skewed(&mut self, n: usize, k: i32) -> usize {
        let u = self.f64().powi(k);
        ((u * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.index(i + 1);
            xs.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
    }

    #[test]
    fn derived_streams_are_independent_of_history() {
        let mut a = Rng::derive(1, 2, 3);
        let x = a.next_u64();
        let mut b = Rng::derive(1, 2, 3);
        assert_eq!(x, b.next_u64());
        assert_ne!(x, Rng::derive(1, 2, 4).next_u64());
    }

    #[test]
    fn ranges_stay_in_bounds() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            assert!(r.below(10) < 10);
            let v = r.range(5, 9);
            assert!((5..=9).contains(&v));
            assert!(r.skewed(100, 3) < 100);
            assert!(r.f64() < 1.0);
        }
        assert_eq!(r.weighted(&[0, 0, 5]), 2);
    }
}
