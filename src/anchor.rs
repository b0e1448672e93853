//! Finds a highlight's quote again in a changed text: when a paper's PDF is
//! replaced by a new version, each highlight's [`TextQuote`] is placed in
//! the new version's extracted text, or reported as not found (the caller
//! keeps unplaced highlights, so a bad guess is worse than none).
//!
//! **Normalized view.** The two texts may come from different extractors,
//! so both are compared through [`Normalized`]: a run of whitespace
//! (newlines, NBSP, …) is one space; a hyphen between a letter and a
//! lowercase letter with a line break after it is dropped with the break
//! (`re-\ntraining` reads `retraining`); soft hyphens and zero-width spaces
//! are dropped; the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ are their letters. Case is
//! kept. Every normalized character remembers the original character it
//! came from, so a match maps back to exactly the original characters it
//! covers. The quote is normalized together with its prefix and suffix
//! (at most [`CONTEXT_CHARS`] of each are used), and its own leading and
//! trailing whitespace is left out.
//!
//! **Exact first.** Every occurrence of the normalized quote is a
//! candidate; the one whose surroundings agree longest with the prefix
//! (ending right before it) and the suffix (starting right after it) wins,
//! then the one nearest the hint (where the quote was before), then the
//! first.
//!
//! **Fuzzy second.** The edit budget for a pattern of `n` characters is
//! `n / 6` insertions, deletions or substitutions (about one character in
//! six); two searches may run:
//!
//! - the quote alone, if it has at least [`MIN_FUZZY_CHARS`] characters
//!   (fuzzy matching of tiny strings finds junk);
//! - prefix + quote + suffix, if the context has at least
//!   [`MIN_PINNING_CONTEXT`] characters and the quote alone found no place
//!   costing at most its own budget (see the ranking below; only then can
//!   this search do better). It finds a quote whose own text changed too
//!   much (or is too short) but sits between its old surroundings; the
//!   quote's part of that match must be non-empty and change by at most
//!   half its characters, or by three if that is more (a word replaced).
//!
//! Each search scans the whole text once with Myers' bit-parallel
//! algorithm (at most `n·⌈m/64⌉` steps of a few word operations for a
//! text of `n` and a pattern of `m` characters, fewer with Ukkonen's
//! cut-off, which skips the blocks of 64 pattern rows that are over
//! budget), which gives for every end position the fewest edits of the
//! pattern into a substring ending there. The best end
//! of each run of ends within budget is a candidate; the few best
//! candidates are aligned by the usual dynamic programme over a window
//! of `m + budget` characters, which gives the start and the quote's part.
//! Candidates are ranked by their cost, then nearness to the hint, then
//! position: for the quote alone, its edits plus those of prefix and
//! suffix against the text around it; with context, the edits of the whole.
//! Patterns longer than [`MAX_FUZZY_CHARS`] are only matched exactly, which
//! bounds the alignment's memory (a few megabytes at most).
//!
//! Prepare a text once with [`Haystack::new`] to place many quotes in it.

use std::cmp::Reverse;
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::model::TextQuote;

/// Characters of prefix and suffix context used (what highlights store).
const CONTEXT_CHARS: usize = 32;
/// Quotes shorter than this (normalized) are matched fuzzily only when
/// their context pins them.
const MIN_FUZZY_CHARS: usize = 8;
/// Context characters needed for a prefix + quote + suffix search.
const MIN_PINNING_CONTEXT: usize = 8;
/// Longest pattern (normalized characters) matched fuzzily.
const MAX_FUZZY_CHARS: usize = 1000;
/// One edit allowed per this many pattern characters.
const CHARS_PER_EDIT: usize = 6;
/// Candidates of one fuzzy search that are aligned and ranked.
const MAX_CANDIDATES: usize = 8;

const SOFT_HYPHEN: char = '\u{ad}';

/// Where a quote was placed: character (not byte) offsets into the text,
/// end exclusive, covering exactly the matched characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placement {
    pub start: usize,
    pub end: usize,
    pub how: How,
}

/// How a quote was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    /// The quote occurs as it is (in the normalized view).
    Exact,
    /// The quote occurs with this many character insertions, deletions or
    /// substitutions (in the normalized view).
    Fuzzy { edits: usize },
}

/// Places `quote` in `text`; `hint` is where the quote was before (a
/// character offset), used only to choose between equally good places.
/// `None` when the quote is empty or not found.
pub(crate) fn place(text: &str, quote: &TextQuote, hint: Option<usize>) -> Option<Placement> {
    Haystack::new(text).place(quote, hint)
}

/// A text prepared for placing quotes in it.
pub(crate) struct Haystack {
    text: Normalized,
    /// The normalized characters as a string, for fast exact search.
    string: String,
}

impl Haystack {
    /// Normalizes `text` (once, for any number of quotes).
    pub(crate) fn new(text: &str) -> Haystack {
        let text = Normalized::new(text);
        let string = text.chars.iter().collect();
        Haystack { text, string }
    }

    /// See [`place`].
    pub(crate) fn place(&self, quote: &TextQuote, hint: Option<usize>) -> Option<Placement> {
        let needle = Needle::new(quote)?;
        self.exact(&needle, hint)
            .or_else(|| self.fuzzy(&needle, hint))
    }

    /// The best exact occurrence (see the module's documentation).
    fn exact(&self, needle: &Needle, hint: Option<usize>) -> Option<Placement> {
        let text = &self.text.chars;
        let quote = needle.quote();
        let pattern: String = quote.iter().collect();
        let step = quote.first()?.len_utf8();
        // The best rank: most agreement, nearest the hint, first.
        let mut best: Option<(Reverse<usize>, usize, usize)> = None;
        // Every occurrence, overlapping ones too, and its character offset.
        let (mut byte, mut start, mut from) = (0, 0, 0);
        while let Some(found) = self.string.get(from..).and_then(|rest| rest.find(&pattern)) {
            let found = from + found;
            start += self.string[byte..found].chars().count();
            byte = found;
            from = found + step;
            let end = start + quote.len();
            let agree = common_suffix(&text[..start], needle.prefix())
                + common_prefix(&text[end..], needle.suffix());
            let rank = (Reverse(agree), self.distance(hint, start), start);
            if best.is_none_or(|best| rank < best) {
                best = Some(rank);
            }
        }
        let (_, _, start) = best?;
        self.placement(start, start + quote.len(), How::Exact)
    }

    /// The best approximate occurrence within budget (see the module's
    /// documentation).
    fn fuzzy(&self, needle: &Needle, hint: Option<usize>) -> Option<Placement> {
        let text = &self.text.chars;
        let quote = needle.quote();
        // (rank, placement): the least costly, then nearest the hint, then first.
        let mut best: Option<((usize, usize, usize), Placement)> = None;
        let mut consider = |cost: usize, placement: Placement| {
            let distance = hint.map_or(0, |hint| hint.abs_diff(placement.start));
            let rank = (cost, distance, placement.start);
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, placement));
            }
        };

        // The quote alone finds every place where its own edits are within
        // its budget; the search with context can only do better elsewhere,
        // where the quote's edits (and so the cost) exceed that budget.
        let mut best_cost = usize::MAX;
        if (MIN_FUZZY_CHARS..=MAX_FUZZY_CHARS).contains(&quote.len()) {
            let budget = budget(quote.len());
            for end in self.candidates(quote, budget, hint) {
                let Aligned {
                    start, end, edits, ..
                } = align(text, end, quote, budget, 0..quote.len());
                if edits > budget {
                    continue;
                }
                let before =
                    leading_distance(needle.prefix().iter().rev(), text[..start].iter().rev());
                let after = leading_distance(needle.suffix().iter(), text[end..].iter());
                best_cost = best_cost.min(edits + before + after);
                if let Some(placement) = self.placement(start, end, How::Fuzzy { edits }) {
                    consider(edits + before + after, placement);
                }
            }
        }

        let pattern = needle.chars.as_slice();
        let context = pattern.len() - quote.len();
        if best_cost > budget(quote.len())
            && context >= MIN_PINNING_CONTEXT
            && pattern.len() <= MAX_FUZZY_CHARS
        {
            let budget = budget(pattern.len());
            let quote_budget = (quote.len() / 2).max(3);
            for end in self.candidates(pattern, budget, hint) {
                let Aligned {
                    start,
                    end,
                    edits,
                    total,
                } = align(text, end, pattern, budget, needle.quote.clone());
                if total > budget || edits > quote_budget || start >= end {
                    continue;
                }
                if let Some(placement) = self.placement(start, end, How::Fuzzy { edits }) {
                    consider(total, placement);
                }
            }
        }
        best.map(|(_, placement)| placement)
    }

    /// The ends (exclusive) of the best approximate occurrences of
    /// `pattern` within `budget` edits: fewest edits first, then nearest the
    /// hint, at most [`MAX_CANDIDATES`].
    fn candidates(&self, pattern: &[char], budget: usize, hint: Option<usize>) -> Vec<usize> {
        let mut ends = BitPattern::new(pattern).match_ends(&self.text.chars, budget);
        ends.sort_by_key(|&(end, edits)| {
            (
                edits,
                self.distance(hint, end.saturating_sub(pattern.len())),
                end,
            )
        });
        ends.truncate(MAX_CANDIDATES);
        ends.into_iter().map(|(end, _)| end).collect()
    }

    /// The placement of normalized characters `start..end`, without the
    /// spaces at either end; `None` if nothing is left.
    fn placement(&self, mut start: usize, mut end: usize, how: How) -> Option<Placement> {
        let chars = &self.text.chars;
        while start < end && chars[start] == ' ' {
            start += 1;
        }
        while end > start && chars[end - 1] == ' ' {
            end -= 1;
        }
        (start < end).then(|| Placement {
            start: self.text.origin[start],
            end: self.text.origin[end - 1] + 1,
            how,
        })
    }

    /// How far normalized position `at` is from the hint (0 without one).
    fn distance(&self, hint: Option<usize>, at: usize) -> usize {
        let original = self.text.origin.get(at).copied().unwrap_or(usize::MAX);
        hint.map_or(0, |hint| hint.abs_diff(original))
    }
}

/// The edits allowed for a pattern of `len` characters.
fn budget(len: usize) -> usize {
    (len / CHARS_PER_EDIT).max(1)
}

/// A text in the normalized view, with the original character offset of
/// each normalized character.
struct Normalized {
    chars: Vec<char>,
    origin: Vec<usize>,
}

impl Normalized {
    fn new(text: &str) -> Normalized {
        let mut out = Normalized {
            chars: Vec::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
        };
        // A hyphen after a letter, held until what follows it is known.
        let mut held_hyphen: Option<(char, usize)> = None;
        // A run of whitespace: where it starts, whether it breaks a line.
        let mut space: Option<(usize, bool)> = None;
        for (at, c) in text.chars().enumerate() {
            if c.is_whitespace() {
                let breaks = is_line_break(c);
                match &mut space {
                    Some((_, broken)) => *broken |= breaks,
                    None => space = Some((at, breaks)),
                }
                continue;
            }
            if is_invisible(c) {
                continue;
            }
            if let Some((hyphen, hyphen_at)) = held_hyphen.take() {
                let broken_word = matches!(space, Some((_, true))) && c.is_lowercase();
                if broken_word {
                    space = None;
                } else if hyphen != SOFT_HYPHEN {
                    out.push(hyphen, hyphen_at);
                }
            }
            if let Some((space_at, _)) = space.take() {
                out.push(' ', space_at);
            }
            if is_hyphen(c) && out.chars.last().is_some_and(|p| p.is_alphabetic()) {
                held_hyphen = Some((c, at));
            } else if let Some(letters) = ligature(c) {
                letters.chars().for_each(|letter| out.push(letter, at));
            } else if c != SOFT_HYPHEN {
                out.push(c, at);
            }
        }
        if let Some((hyphen, at)) = held_hyphen
            && hyphen != SOFT_HYPHEN
        {
            out.push(hyphen, at);
        }
        if let Some((at, _)) = space {
            out.push(' ', at);
        }
        out
    }

    fn push(&mut self, c: char, origin: usize) {
        self.chars.push(c);
        self.origin.push(origin);
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | SOFT_HYPHEN)
}

fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        _ => return None,
    })
}

/// A quote normalized together with its context: `chars[quote]` is the
/// quote, what comes before it the prefix, what comes after the suffix.
struct Needle {
    chars: Vec<char>,
    quote: Range<usize>,
}

impl Needle {
    /// `None` when the quote has nothing but whitespace.
    fn new(quote: &TextQuote) -> Option<Needle> {
        let before = quote.prefix.chars().count();
        let exact = before..before + quote.exact.chars().count();
        let joined = format!("{}{}{}", quote.prefix, quote.exact, quote.suffix);
        let normalized = Normalized::new(&joined);
        let in_quote =
            |k: &usize| normalized.chars[*k] != ' ' && exact.contains(&normalized.origin[*k]);
        let len = normalized.chars.len();
        let start = (0..len).find(in_quote)?;
        let end = (0..len).rev().find(in_quote)? + 1;
        let from = start.saturating_sub(CONTEXT_CHARS);
        let to = (end + CONTEXT_CHARS).min(len);
        Some(Needle {
            chars: normalized.chars[from..to].to_vec(),
            quote: start - from..end - from,
        })
    }

    fn quote(&self) -> &[char] {
        &self.chars[self.quote.clone()]
    }

    fn prefix(&self) -> &[char] {
        &self.chars[..self.quote.start]
    }

    fn suffix(&self) -> &[char] {
        &self.chars[self.quote.end..]
    }
}

fn common_prefix(a: &[char], b: &[char]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[char], b: &[char]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The fewest edits turning `pattern` into some beginning of `text` (both
/// read from their start, the text's end free). Reads at most twice the
/// pattern's length of text: past that, no beginning can do better.
fn leading_distance<'a>(
    pattern: impl Iterator<Item = &'a char>,
    text: impl Iterator<Item = &'a char>,
) -> usize {
    let pattern: Vec<char> = pattern.copied().collect();
    let mut column: Vec<usize> = (0..=pattern.len()).collect();
    let mut best = pattern.len();
    for (j, t) in text.take(2 * pattern.len()).enumerate() {
        let mut diagonal = column[0];
        column[0] = j + 1;
        for i in 1..=pattern.len() {
            let above = column[i];
            column[i] = (diagonal + usize::from(pattern[i - 1] != *t))
                .min(above + 1)
                .min(column[i - 1] + 1);
            diagonal = above;
        }
        best = best.min(column[pattern.len()]);
    }
    best
}

/// A pattern prepared for Myers' bit-parallel approximate matching (in
/// Hyyrö's formulation with blocks of 64 pattern characters).
struct BitPattern {
    len: usize,
    blocks: usize,
    /// Class of each ASCII character; `others` for the rest. The last class
    /// is "not in the pattern".
    ascii: [u32; 128],
    others: FxHashMap<char, u32>,
    not_in_pattern: u32,
    /// For each class and block, the bit mask of pattern positions holding it.
    masks: Vec<u64>,
}

impl BitPattern {
    fn new(pattern: &[char]) -> BitPattern {
        let blocks = pattern.len().div_ceil(64);
        let mut ascii = [u32::MAX; 128];
        let mut others = FxHashMap::default();
        let mut classes = 0;
        let mut class_at = Vec::with_capacity(pattern.len());
        for &c in pattern {
            let class = match ascii.get_mut(c as usize) {
                Some(class) => class,
                None => others.entry(c).or_insert(u32::MAX),
            };
            if *class == u32::MAX {
                *class = classes;
                classes += 1;
            }
            class_at.push(*class as usize);
        }
        for class in ascii.iter_mut().filter(|class| **class == u32::MAX) {
            *class = classes;
        }
        let mut masks = vec![0u64; (classes as usize + 1) * blocks];
        for (i, class) in class_at.into_iter().enumerate() {
            masks[class * blocks + i / 64] |= 1 << (i % 64);
        }
        BitPattern {
            len: pattern.len(),
            blocks,
            ascii,
            others,
            not_in_pattern: classes,
            masks,
        }
    }

    fn masks_of(&self, c: char) -> &[u64] {
        let class = match self.ascii.get(c as usize) {
            Some(class) => *class,
            None => self.others.get(&c).copied().unwrap_or(self.not_in_pattern),
        } as usize;
        &self.masks[class * self.blocks..(class + 1) * self.blocks]
    }

    /// For each run of end positions (exclusive) where the pattern matches a
    /// substring of `text` ending there within `budget` edits, the end with
    /// the fewest edits, and those edits.
    fn match_ends(&self, text: &[char], budget: usize) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        if self.len == 0 {
            return found;
        }
        let last = self.blocks - 1;
        let budget = budget as isize;
        // Column 0 is 0, 1, 2, … (every vertical delta +1).
        let mut blocks: Vec<Block> = (0..self.blocks)
            .map(|block| {
                let bottom = (64 * (block + 1)).min(self.len);
                Block {
                    plus: u64::MAX,
                    minus: 0,
                    high: 1 << ((bottom - 1) % 64),
                    rows: (bottom - 64 * block) as isize,
                    score: bottom as isize,
                }
            })
            .collect();
        // Blocks after `active` hold only values over budget and are not
        // computed (Ukkonen's cut-off, as Myers applies it to blocks).
        let mut active = (budget as usize / 64).min(last);
        let mut run: Option<(usize, usize)> = None;
        for (j, &c) in text.iter().enumerate() {
            let masks = self.masks_of(c);
            // Row 0 is all zeros (a match may start anywhere): no carry in.
            let mut carry = 0;
            for (block, &eq) in blocks[..=active].iter_mut().zip(masks) {
                carry = block.advance(eq, carry);
            }
            let before = blocks[active].score - carry as isize;
            if active < last && before <= budget && (masks[active + 1] & 1 != 0 || carry < 0) {
                // The next block may now come within budget: start it as if
                // its values in the column before rose by one a row.
                active += 1;
                let block = &mut blocks[active];
                block.plus = u64::MAX;
                block.minus = 0;
                block.score = before + block.rows;
                block.advance(masks[active], carry);
            } else {
                while active > 0 && blocks[active].score >= budget + 64 {
                    active -= 1;
                }
            }
            let edits = blocks[last].score;
            if active == last && edits <= budget {
                let edits = edits as usize;
                if run.is_none_or(|(_, best)| edits < best) {
                    run = Some((j + 1, edits));
                }
            } else if let Some(best) = run.take() {
                found.push(best);
            }
        }
        found.extend(run);
        found
    }
}

/// The state of 64 pattern rows (fewer in the last block) in the current
/// text column: the vertical deltas, +1 in `plus` and -1 in `minus`, one
/// bit a row; the value of the block's last row, whose bit is `high`.
struct Block {
    plus: u64,
    minus: u64,
    high: u64,
    rows: isize,
    score: isize,
}

impl Block {
    /// Moves to the next column, for a text character whose pattern rows
    /// here are `eq`, given the horizontal delta entering at the top;
    /// returns the delta leaving at the last row (Hyyrö's step).
    fn advance(&mut self, eq: u64, carry_in: i32) -> i32 {
        let (pv, mv) = (self.plus, self.minus);
        let xv = eq | mv;
        let eq = eq | u64::from(carry_in < 0);
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let mut ph = mv | !(xh | pv);
        let mut mh = pv & xh;
        let carry_out = i32::from(ph & self.high != 0) - i32::from(mh & self.high != 0);
        ph = (ph << 1) | u64::from(carry_in > 0);
        mh = (mh << 1) | u64::from(carry_in < 0);
        self.plus = mh | !(xv | ph);
        self.minus = ph & xv;
        self.score += carry_out as isize;
        carry_out
    }
}

/// Where an optimal alignment of `pattern` against text ending at `end`
/// (exclusive; the start free, within `pattern.len() + budget` characters)
/// puts pattern characters `part`: text offsets `start..end` (text inserted
/// at either boundary left out), the edits made there, and all the edits.
struct Aligned {
    start: usize,
    end: usize,
    edits: usize,
    total: usize,
}

fn align(
    text: &[char],
    end: usize,
    pattern: &[char],
    budget: usize,
    part: Range<usize>,
) -> Aligned {
    let end = end.min(text.len());
    let from = end.saturating_sub(pattern.len() + budget);
    let window = &text[from..end];
    let width = window.len() + 1;
    // Edits of pattern[..i] into the best window[s..j]; row 0 is zeros.
    // Values stay below the pattern's length, within u16 because patterns
    // have at most MAX_FUZZY_CHARS.
    let mut cost = vec![0u16; (pattern.len() + 1) * width];
    for (i, &p) in pattern.iter().enumerate() {
        let (above, row) = cost[i * width..(i + 2) * width].split_at_mut(width);
        row[0] = above[0] + 1;
        for (j, &t) in window.iter().enumerate() {
            row[j + 1] = (above[j] + u16::from(p != t))
                .min(above[j + 1] + 1)
                .min(row[j] + 1);
        }
    }
    let at = |i: usize, j: usize| usize::from(cost[i * width + j]);
    // Walk the alignment back from its end; the first point at row
    // `part.start` is its rightmost, the last at row `part.end` its leftmost.
    let (mut i, mut j) = (pattern.len(), window.len());
    let total = at(i, j);
    let (mut part_start, mut part_end) = (None, (end, total));
    loop {
        if i == part.end {
            part_end = (from + j, at(i, j));
        }
        if i == part.start && part_start.is_none() {
            part_start = Some((from + j, at(i, j)));
        }
        if i == 0 {
            break;
        }
        if j > 0 && at(i, j) == at(i - 1, j - 1) + usize::from(pattern[i - 1] != window[j - 1]) {
            j -= 1;
            i -= 1;
        } else if at(i, j) == at(i - 1, j) + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    let (start, edits_before) = part_start.unwrap_or((from + j, 0));
    Aligned {
        start,
        end: part_end.0,
        edits: part_end.1.saturating_sub(edits_before),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quote of characters `start..end` of `text`, with its context, as
    /// the library records a highlight.
    fn quote_at(text: &str, start: usize, end: usize) -> TextQuote {
        let chars: Vec<char> = text.chars().collect();
        let piece = |from: usize, to: usize| chars[from..to.min(chars.len())].iter().collect();
        TextQuote {
            exact: piece(start, end),
            prefix: piece(start.saturating_sub(CONTEXT_CHARS), start),
            suffix: piece(end, end + CONTEXT_CHARS),
        }
    }

    /// The quote of the `nth` occurrence of `exact` in `text`, and its start.
    fn quote_of(text: &str, exact: &str, nth: usize) -> (TextQuote, usize) {
        let (byte, _) = text
            .match_indices(exact)
            .nth(nth)
            .expect("the quote is in the text");
        let start = text[..byte].chars().count();
        (quote_at(text, start, start + exact.chars().count()), start)
    }

    /// The characters of `text` a placement covers.
    fn covered(text: &str, placement: Placement) -> String {
        text.chars()
            .skip(placement.start)
            .take(placement.end - placement.start)
            .collect()
    }

    fn bare(exact: &str) -> TextQuote {
        TextQuote {
            exact: exact.into(),
            prefix: String::new(),
            suffix: String::new(),
        }
    }

    const PAPER: &str = "Sparse networks are cheap to run but hard to train. \
        In this paper we propose a new method for training sparse networks \
        from scratch, which keeps the number of weights fixed throughout \
        training. Our experiments on image classification show that it \
        matches dense baselines at a fraction of the cost. We also study how \
        the sparsity pattern evolves during training and find that it \
        settles early.";

    #[test]
    fn places_a_unique_quote_exactly() {
        let (quote, start) = quote_of(PAPER, "keeps the number of weights fixed", 0);
        let placed = place(PAPER, &quote, None).expect("placed");
        assert_eq!(placed.how, How::Exact);
        assert_eq!((placed.start, placed.end), (start, start + 33));
    }

    #[test]
    fn context_chooses_between_repeated_quotes() {
        let old = "Results. The model converges quickly. On the larger set, \
                   however, The model converges quickly. only with warm-up.";
        let (quote, _) = quote_of(old, "The model converges quickly.", 1);
        let new = format!("Intro. {old}");
        let (_, expected) = quote_of(&new, "The model converges quickly.", 1);
        let placed = place(&new, &quote, None).expect("placed");
        assert_eq!((placed.start, placed.how), (expected, How::Exact));
    }

    #[test]
    fn the_hint_chooses_between_equally_good_places() {
        let text = "alpha beta gamma delta. alpha beta gamma delta. alpha beta gamma delta.";
        let quote = bare("beta gamma");
        let starts: Vec<usize> = text.match_indices("beta gamma").map(|(b, _)| b).collect();
        let at = |hint| place(text, &quote, hint).map(|p| p.start);
        assert_eq!(at(None), Some(starts[0]));
        assert_eq!(at(Some(starts[1] + 3)), Some(starts[1]));
        assert_eq!(at(Some(10_000)), Some(starts[2]));
    }

    #[test]
    fn finds_a_quote_moved_by_an_inserted_paragraph() {
        let (quote, start) = quote_of(PAPER, "matches dense baselines", 0);
        let extra = "A new opening paragraph, added in the second version.\n\n";
        let new = format!("{extra}{PAPER}");
        let placed = place(&new, &quote, Some(start)).expect("placed");
        assert_eq!(placed.how, How::Exact);
        assert_eq!(placed.start, start + extra.chars().count());
        assert_eq!(covered(&new, placed), "matches dense baselines");
    }

    #[test]
    fn tolerates_line_breaks_hyphenation_and_ligatures() {
        let old = "we find that retraining the model on new data is efficient";
        let new = "we ﬁnd that re-\ntraining the\n  model on new\u{a0}data is eﬃcient";
        let (quote, _) = quote_of(
            old,
            "find that retraining the model on new data is efficient",
            0,
        );
        let placed = place(new, &quote, None).expect("placed");
        assert_eq!(placed.how, How::Exact);
        assert_eq!(
            covered(new, placed),
            "ﬁnd that re-\ntraining the\n  model on new\u{a0}data is eﬃcient"
        );

        // The other way round, with whitespace around the quote ignored.
        let mut quote = quote_of(new, "re-\ntraining the", 0).0;
        quote.exact = format!(" {}\n", quote.exact);
        let placed = place(old, &quote, None).expect("placed");
        assert_eq!(
            (placed.how, covered(old, placed).as_str()),
            (How::Exact, "retraining the")
        );

        // A hyphen without a line break stays; case counts for exact.
        let how = |text, quote| place(text, &bare(quote), None).map(|p| p.how);
        assert_eq!(
            how("self-attention", "selfattention"),
            Some(How::Fuzzy { edits: 1 })
        );
        assert_eq!(
            how("Self Attention", "self attention"),
            Some(How::Fuzzy { edits: 2 })
        );
    }

    #[test]
    fn finds_an_edited_sentence_fuzzily() {
        let (quote, _) = quote_of(
            PAPER,
            "we propose a new method for training sparse networks",
            0,
        );
        let new = PAPER.replace("a new method", "a novel method");
        let placed = place(&new, &quote, None).expect("placed");
        assert_eq!(placed.how, How::Fuzzy { edits: 3 });
        assert_eq!(
            covered(&new, placed),
            "we propose a novel method for training sparse networks"
        );

        // Without its context, and alone.
        let placed = place(&new, &bare("we propose a new method"), None).expect("placed");
        assert_eq!(covered(&new, placed), "we propose a novel method");
    }

    #[test]
    fn fuzzy_places_are_ranked_by_their_context_then_the_hint() {
        let old = "Part A: the large model trains fast. Part B: the large model trains fast, too.";
        let (quote, old_start) = quote_of(old, "the large model trains fast", 1);
        let new = "Part A: the large model train fast. Part B: the large model trains fat, too.";
        let a = new.find("the large model train fast").expect("there");
        let b = new.find("the large model trains fat").expect("there");
        let start = |quote: &TextQuote, hint| place(new, quote, hint).map(|p| p.start);
        assert_eq!(start(&quote, None), Some(b));
        // Without context both places cost one edit: the hint decides.
        let alone = bare(&quote.exact);
        assert_eq!(start(&alone, None), Some(a));
        assert_eq!(start(&alone, Some(old_start)), Some(b));
    }

    #[test]
    fn a_deleted_quote_is_not_found() {
        let exact = "Our experiments on image classification show that it \
                     matches dense baselines at a fraction of the cost. ";
        let (quote, _) = quote_of(PAPER, exact, 0);
        let new = PAPER.replace(exact, "");
        assert_eq!(place(&new, &quote, None), None);

        // A short quote deleted from between its context.
        let (quote, _) = quote_of(PAPER, "from scratch, ", 0);
        assert_eq!(
            place(&PAPER.replace("from scratch, ", ""), &quote, None),
            None
        );
    }

    #[test]
    fn a_different_sentence_sharing_words_is_not_accepted() {
        let (quote, _) = quote_of(
            PAPER,
            "Our experiments on image classification show that it matches dense baselines",
            0,
        );
        let new = PAPER.replace(
            "Our experiments on image classification show that it matches dense baselines",
            "Experiments on language modelling show that it trails the dense baselines",
        );
        assert_eq!(place(&new, &quote, None), None);
        assert_eq!(place(&new, &bare(&quote.exact), None), None);
    }

    #[test]
    fn a_short_quote_matches_only_exactly_unless_its_context_pins_it() {
        let text = "We evaluate GPT-4 on the benchmark. Later sections use GPT-J.";
        assert_eq!(place(text, &bare("GPT-3"), None), None);
        let (quote, _) = quote_of("We evaluate GPT-3 on the benchmark.", "GPT-3", 0);
        let placed = place(text, &quote, None).expect("pinned by its context");
        assert_eq!(
            (covered(text, placed).as_str(), placed.how),
            ("GPT-4", How::Fuzzy { edits: 1 })
        );

        // A short word replaced between the same surroundings.
        let (quote, _) = quote_of(PAPER, "new", 0);
        let new = PAPER.replacen("a new method", "a novel method", 1);
        let placed = place(&new, &quote, None).expect("pinned by its context");
        assert_eq!(covered(&new, placed), "novel");
    }

    #[test]
    fn offsets_are_characters_not_bytes() {
        let text = "Ünïcödé — “quoted” 数学 🙂 e\u{301} then the highlighted words.";
        let (quote, start) = quote_of(text, "the highlighted", 0);
        assert!(start < text.find("the highlighted").expect("there"));
        let placed = place(text, &quote, None).expect("placed");
        assert_eq!((placed.start, placed.end), (start, start + 15));

        let edited = text.replace("highlighted", "higlighted");
        let placed = place(&edited, &quote, None).expect("placed");
        assert_eq!((placed.start, placed.end), (start, start + 14));
        assert_eq!(covered(&edited, placed), "the higlighted");
    }

    #[test]
    fn empty_and_blank_inputs_are_not_found() {
        assert_eq!(place("", &bare("anything"), None), None);
        assert_eq!(place("some text", &bare(""), None), None);
        assert_eq!(place("some text", &bare(" \n\u{a0}"), None), None);
        assert_eq!(place("", &bare(""), Some(3)), None);
    }

    /// A tiny deterministic generator (xorshift64*), enough for tests.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
        }

        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    /// Pseudo-English words from syllables.
    fn words(random: &mut Random, count: usize) -> Vec<String> {
        const SYLLABLES: &[&str] = &[
            "ka", "ter", "mo", "lin", "sa", "ve", "tion", "al", "dra", "pen", "ol", "cu", "ri",
            "ght", "no", "ble", "ex", "pla", "in", "ted",
        ];
        (0..count)
            .map(|_| {
                (0..1 + random.below(3))
                    .map(|_| *random.pick(SYLLABLES))
                    .collect()
            })
            .collect()
    }

    fn sentence(random: &mut Random, vocabulary: &[String]) -> String {
        let len = 6 + random.below(20);
        let words: Vec<&str> = (0..len).map(|_| random.pick(vocabulary).as_str()).collect();
        format!("{}. ", words.join(" "))
    }

    /// Edits characters `start..end` of `text` `edits` times (replacing,
    /// inserting or deleting a letter).
    fn edit(random: &mut Random, text: &str, start: usize, end: usize, edits: usize) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        let mut end = end;
        for _ in 0..edits {
            let at = start + 1 + random.below(end - start - 2);
            let letter = *random.pick(&['x', 'q', 'z', 'j']);
            match random.below(3) {
                0 => chars[at] = letter,
                1 => {
                    chars.insert(at, letter);
                    end += 1;
                }
                _ => {
                    chars.remove(at);
                    end -= 1;
                }
            }
        }
        chars.into_iter().collect()
    }

    #[test]
    fn randomly_edited_quotes_are_found_where_they_were() {
        let mut random = Random(0x5eed);
        let vocabulary = words(&mut random, 300);
        for round in 0..200 {
            let text: String = (0..20)
                .map(|_| sentence(&mut random, &vocabulary))
                .collect();
            let len = text.chars().count();
            let quote_len = 20 + random.below(120);
            let start = random.below(len - quote_len);
            let end = start + quote_len;
            let quote = quote_at(&text, start, end);
            let edits = random.below(budget(quote_len) / 2 + 1);
            let new = edit(&mut random, &text, start, end, edits);
            let placed = place(&new, &quote, Some(start))
                .unwrap_or_else(|| panic!("round {round}: {edits} edits in {quote:?}"));
            assert!(
                placed.start.abs_diff(start) <= edits + 1
                    && placed.end.abs_diff(end) <= 2 * edits + 1,
                "round {round}: {start}..{end} placed at {placed:?}"
            );
            if edits == 0 {
                assert_eq!(placed.how, How::Exact);
            }
        }
    }

    #[test]
    fn odd_text_never_panics_and_ranges_stay_inside() {
        const PIECES: &[&str] = &[
            "a",
            "é",
            "e\u{301}",
            "数",
            "学",
            "🙂",
            "👩\u{200d}🔬",
            " ",
            "\n",
            "\u{a0}",
            "-",
            "-\n",
            "\u{ad}",
            "\u{200b}",
            "ﬁ",
            "ﬃ",
            "word",
            "Word",
            "\r\n",
            "\t",
            "x",
        ];
        let mut random = Random(42);
        for _ in 0..300 {
            let text: String = (0..random.below(200))
                .map(|_| *random.pick(PIECES))
                .collect();
            let len = text.chars().count();
            let start = random.below(len + 1);
            let end = (start + random.below(40)).min(len);
            let quote = quote_at(&text, start, end);
            let hint = Some(random.below(len + 10));
            if let Some(placed) = place(&text, &quote, hint) {
                assert!(
                    placed.start < placed.end && placed.end <= len,
                    "{placed:?} in {len}"
                );
            } else {
                assert!(
                    !quote.exact.chars().any(char::is_alphanumeric),
                    "{quote:?} not found"
                );
            }
            let other: String = (0..random.below(30))
                .map(|_| *random.pick(PIECES))
                .collect();
            if let Some(placed) = place(&text, &bare(&other), hint) {
                assert!(placed.start < placed.end && placed.end <= len);
            }
        }
    }

    /// 200 highlights of a 150,000-character paper, some in edited
    /// sentences and some in deleted ones, placed in the new version (which
    /// also gained a paragraph at the start).
    #[test]
    fn places_many_quotes_in_a_long_paper() {
        const KEPT: u8 = 0;
        const EDITED: u8 = 1;
        const DELETED: u8 = 2;
        let mut random = Random(7);
        let vocabulary = words(&mut random, 2000);
        let mut sentences = Vec::new();
        let mut old = String::new();
        while old.len() < 150_000 {
            let s = sentence(&mut random, &vocabulary);
            old.push_str(&s);
            sentences.push(s);
        }
        let fate: Vec<u8> = (0..sentences.len())
            .map(|i| match (i % 50, random.below(5)) {
                (10..=12, _) => DELETED,
                (_, 0) => EDITED,
                _ => KEPT,
            })
            .collect();
        // Where each sentence starts, before and after; sentences are ASCII.
        let (mut starts, mut new_starts) = (Vec::new(), Vec::new());
        let mut new = String::from("This version adds an opening paragraph.\n\n");
        for (i, s) in sentences.iter().enumerate() {
            starts.push(starts.last().map_or(0, |&at| at + sentences[i - 1].len()));
            new_starts.push(new.len());
            match fate[i] {
                KEPT => new.push_str(s),
                EDITED => new.push_str(&s.replacen(' ', " uh ", 1).replacen('a', "o", 1)),
                _ => {}
            }
        }
        // Old offset → (sentence, new offset); an edit adds 3 characters
        // after the sentence's first space.
        let locate = |at: usize| {
            let i = starts.partition_point(|&start| start <= at) - 1;
            let offset = at - starts[i];
            let shift = match sentences[i].find(' ') {
                Some(space) if fate[i] == EDITED && offset > space => 3,
                _ => 0,
            };
            (i, new_starts[i] + offset + shift)
        };

        let quotes: Vec<(TextQuote, usize, usize)> = (0..200)
            .map(|_| {
                let start = random.below(old.len() - 400);
                let end = start + 20 + random.below(381);
                (quote_at(&old, start, end), start, end)
            })
            .collect();
        let haystack = Haystack::new(&new);
        let placed: Vec<Option<Placement>> = quotes
            .iter()
            .map(|(quote, start, _)| haystack.place(quote, Some(*start)))
            .collect();

        let (mut exact, mut fuzzy, mut gone) = (0, 0, 0);
        for ((quote, start, end), placed) in quotes.iter().zip(placed) {
            let exact_chars: Vec<char> = quote.exact.chars().collect();
            let leading = exact_chars.iter().take_while(|c| c.is_whitespace()).count();
            let trailing = exact_chars
                .iter()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
            let (first, expected_start) = locate(start + leading);
            let (last, expected_end) = locate(end - trailing - 1);
            let fates = &fate[first..=last];
            if fates.iter().all(|&f| f == DELETED) {
                assert_eq!(placed, None, "deleted {quote:?}");
                gone += 1;
            } else if fates.contains(&DELETED) {
                gone += 1; // Partly deleted: found or not.
            } else {
                let placed = placed.unwrap_or_else(|| panic!("not found: {quote:?}"));
                if fates.iter().all(|&f| f == KEPT) {
                    assert_eq!(placed.how, How::Exact);
                    assert_eq!(
                        (placed.start, placed.end),
                        (expected_start, expected_end + 1)
                    );
                    exact += 1;
                } else {
                    assert!(
                        placed.start.abs_diff(expected_start) <= 8
                            && placed.end.abs_diff(expected_end + 1) <= 8,
                        "{placed:?} for {expected_start}..{expected_end}: {:?} at {:?}",
                        quote.exact,
                        covered(&new, placed)
                    );
                    fuzzy += 1;
                }
            }
        }
        assert!(
            exact > 50 && fuzzy > 50 && gone > 0,
            "{exact} {fuzzy} {gone}"
        );
    }
}
