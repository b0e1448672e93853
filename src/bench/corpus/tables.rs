//! Builds the corpus's lookup and sampling tables from the vocabulary: the
//! text arena, the key index, the background and topic distributions, the
//! title-suffix alphabet and the arXiv month slots.

use std::collections::HashMap;

use super::random::{Alias, Rng};
use super::words::DOMAIN_TAGS;
use super::{
    BLOCK, FIRST_YEAR, LAST_YEAR, SALT_POPULARITY, SALT_TOPIC, Span, Topic, Unit, month_capacity,
};

/// All units' display texts in one string, and where each lies in it.
pub(super) fn arena(units: &[Unit]) -> (String, Vec<Span>) {
    let mut arena = String::new();
    let spans = units
        .iter()
        .map(|unit| {
            let start = arena.len() as u32;
            arena.push_str(&unit.text);
            Span {
                start,
                len: unit.text.len() as u16,
                words: unit.words as u16,
            }
        })
        .collect();
    (arena, spans)
}

/// The arena followed by `BLOCK` spaces, so a short unit can be copied as
/// one fixed-size block.
pub(super) fn padded(arena: &str) -> Vec<u8> {
    let mut bytes = arena.as_bytes().to_vec();
    bytes.extend_from_slice(&[b' '; BLOCK]);
    bytes
}

/// Lowercase key → unit id.
pub(super) fn key_index(units: &[Unit]) -> HashMap<String, u32> {
    units
        .iter()
        .enumerate()
        .map(|(id, unit)| (unit.key.clone(), id as u32))
        .collect()
}

/// Single content words, weighted by their frequency in the seed.
pub(super) fn content_unigrams(units: &[Unit], counts: &[u64], spans: &[Span]) -> Alias<Span> {
    let ids: Vec<u32> = (0..units.len() as u32)
        .filter(|&id| units[id as usize].content && units[id as usize].words == 1)
        .collect();
    Alias::new(
        &ids.iter()
            .map(|&id| counts[id as usize])
            .collect::<Vec<_>>(),
        &ids.iter().map(|&id| spans[id as usize]).collect::<Vec<_>>(),
    )
}

/// `topics` latent topics, each from its own random stream.
pub(super) fn topics(
    seed: u64,
    topics: u32,
    units: &[Unit],
    counts: &[u64],
    spans: &[Span],
) -> Vec<Topic> {
    // Topic words: any content unit, favouring frequent ones only mildly
    // (∝ √count) so topics stay distinctive.
    let candidates: Vec<u32> = (0..units.len() as u32)
        .filter(|&id| units[id as usize].content)
        .collect();
    let candidate_alias = Alias::new(
        &candidates
            .iter()
            .map(|&id| (counts[id as usize] * 10_000).isqrt())
            .collect::<Vec<_>>(),
        &candidates,
    );
    (0..topics)
        .map(|t| {
            let mut rng = Rng::stream(seed, SALT_TOPIC, u64::from(t));
            let want = rng.range(30, 60).min(candidates.len());
            let chosen = topic_units(&mut rng, &candidate_alias, want);
            let weights: Vec<u64> = (0..chosen.len() as u64)
                .map(|rank| 1_000_000 / (rank + 5))
                .collect();
            let plain = chosen
                .iter()
                .copied()
                .filter(|&id| units[id as usize].plain)
                .collect();
            Topic {
                alias: Alias::new(
                    &weights,
                    &chosen
                        .iter()
                        .map(|&id| spans[id as usize])
                        .collect::<Vec<_>>(),
                ),
                plain,
                domain: rng.choose(&DOMAIN_TAGS),
            }
        })
        .collect()
}

/// `want` distinct candidate units (fewer if 100,000 draws do not find
/// them), shuffled: a unit's place becomes its rank in the topic.
fn topic_units(rng: &mut Rng, candidates: &Alias<u32>, want: usize) -> Vec<u32> {
    let mut chosen: Vec<u32> = Vec::with_capacity(want);
    let mut tries = 0;
    while chosen.len() < want && tries < 100_000 {
        tries += 1;
        let id = candidates.sample(rng);
        if !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    rng.shuffle(&mut chosen);
    chosen
}

/// Picks a topic: topics in a seeded random order, weight ∝ 1/√rank.
pub(super) fn topic_popularity(seed: u64, topics: u32) -> Alias<u32> {
    let mut order: Vec<u32> = (0..topics).collect();
    Rng::stream(seed, SALT_POPULARITY, 0).shuffle(&mut order);
    let mut popularity = vec![0u64; topics as usize];
    for (rank, &t) in order.iter().enumerate() {
        popularity[t as usize] = 1_000_000_000 / ((rank as u64 + 1) * 1_000_000).isqrt();
    }
    Alias::new(&popularity, &(0..topics).collect::<Vec<_>>())
}

/// The plain words that spell the unique title suffixes.
pub(super) fn suffix_alphabet(units: &[Unit]) -> Vec<u32> {
    let alphabet: Vec<u32> = (0..units.len() as u32)
        .filter(|&id| units[id as usize].plain)
        .collect();
    assert!(
        alphabet.len() >= 2,
        "the seed listing has too few plain words"
    );
    alphabet
}

/// The first arXiv slot of each month from January of `FIRST_YEAR` to
/// December of `LAST_YEAR`, and the number of slots in all.
pub(super) fn arxiv_month_starts() -> (Vec<u64>, u64) {
    let mut month_starts = Vec::with_capacity(12 * 11);
    let mut slots = 0u64;
    for year in FIRST_YEAR..=LAST_YEAR {
        for _month in 1..=12 {
            month_starts.push(slots);
            slots += month_capacity(year);
        }
    }
    (month_starts, slots)
}
