//! SplitMix64 and discrete distributions by integer weights: the only sources of chance.

use super::SampleError;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed here so streams never change.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64, stream: u64) -> Rng {
        Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` by multiply-shift; the bias (< n / 2^64) is far below what matters
    /// here, and it needs no rejection loop.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..hi`, or `lo` for an empty range.
    pub(super) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi.abs_diff(lo)) as i64
        }
    }

    pub(super) fn per_mille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }
}

/// A discrete distribution by integer weights.
pub(super) struct Weighted<T> {
    cum: Vec<u32>,
    items: Vec<T>,
}

impl<T> Weighted<T> {
    /// Zero weights are dropped; `what` names the table if nothing is left.
    pub(super) fn new(
        what: &str,
        pairs: impl IntoIterator<Item = (u32, T)>,
    ) -> Result<Weighted<T>, SampleError> {
        let mut cum = Vec::new();
        let mut items = Vec::new();
        let mut total = 0u32;
        for (w, item) in pairs {
            if w > 0 {
                total = total.saturating_add(w);
                cum.push(total);
                items.push(item);
            }
        }
        if items.is_empty() {
            return Err(SampleError::Invalid(format!(
                "{what}: nothing to choose from"
            )));
        }
        Ok(Weighted { cum, items })
    }

    pub(super) fn pick(&self, rng: &mut Rng) -> &T {
        // `new` guarantees a non-empty table, and x < the last cumulative weight, so the
        // index is always in range.
        let total = self.cum[self.cum.len() - 1];
        let x = rng.below(u64::from(total)) as u32;
        &self.items[self.cum.partition_point(|&c| c <= x)]
    }
}

impl Weighted<(i64, i64)> {
    pub(super) fn spans(
        what: &str,
        spans: &[(u32, i64, i64)],
    ) -> Result<Weighted<(i64, i64)>, SampleError> {
        Weighted::new(what, spans.iter().map(|&(w, lo, hi)| (w, (lo, hi))))
    }

    pub(super) fn duration(&self, rng: &mut Rng) -> i64 {
        let &(lo, hi) = self.pick(rng);
        rng.between(lo, hi)
    }
}
