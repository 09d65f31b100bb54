//! Ids without keeping them: a 64-bit hash per `case_id` to find duplicates (checked exactly
//! when two hashes meet), a 128-bit hash per `incident_id` to tell incidents apart.

use std::collections::HashSet;

use super::NO_INCIDENT;

/// How duplicate `case_id`s are detected.
pub(super) enum Ids {
    /// Record a hash per id (pieces in parallel); duplicates are looked for afterwards.
    Hashes,
    /// Pieces in order; ids whose hash is shared are compared as text.
    Exact {
        suspects: HashSet<u64>,
        seen: HashSet<Box<str>>,
    },
}

/// Hash values that occur more than once.
pub(super) fn shared_hashes(pieces: Vec<Vec<u64>>) -> HashSet<u64> {
    let total: usize = pieces.iter().map(Vec::len).sum();
    // Bucket by the top byte, then sort each (cache-sized) bucket and compare neighbours.
    let mut counts = [0usize; 257];
    for p in &pieces {
        for h in p {
            counts[(h >> 56) as usize + 1] += 1;
        }
    }
    for i in 1..257 {
        counts[i] += counts[i - 1];
    }
    let mut flat = vec![0u64; total];
    let mut next = counts;
    for p in pieces {
        for h in p {
            let b = (h >> 56) as usize;
            flat[next[b]] = h;
            next[b] += 1;
        }
    }
    let mut found = HashSet::new();
    for b in 0..256 {
        let bucket = &mut flat[counts[b]..counts[b + 1]];
        bucket.sort_unstable();
        for w in bucket.windows(2) {
            if w[0] == w[1] {
                found.insert(w[0]);
            }
        }
    }
    found
}

/// Tells incidents apart without keeping their ids: two 64-bit hashes of different
/// construction, so two different ids of one export share the value with a chance of about
/// n² / 2¹²⁹ (below 10⁻²⁴ for ten million ids). An empty cell is `NO_INCIDENT`.
// `#[inline]`: called for every row from `row`, which may sit in another codegen unit.
#[inline]
pub(super) fn incident_hash(id: &str) -> u128 {
    if id.is_empty() {
        return NO_INCIDENT;
    }
    // FNV-1a, finished with the same avalanche step as `id_hash`, for the second half.
    let mut f = 0xCBF2_9CE4_8422_2325u64;
    for &b in id.as_bytes() {
        f = (f ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    let h = (u128::from(id_hash(id.as_bytes())) << 64) | u128::from(mix64(f));
    // The one value reserved for an empty cell.
    h.max(1)
}

/// A 64-bit hash of a case id (not for security: a shared value only triggers an exact check,
/// but a weak hash would trigger it for every large export). Each 8-byte word goes through a
/// full-avalanche mix, so differences in two words cannot cancel out.
#[inline]
pub(super) fn id_hash(s: &[u8]) -> u64 {
    let mix = mix64;
    let mut h = 0x9E37_79B9_7F4A_7C15u64;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    mix(h ^ s.len() as u64)
}

/// MurmurHash3's 64-bit finaliser: a bijection in which every input bit flips about half of
/// the output bits.
fn mix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests;
