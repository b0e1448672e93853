//! One synthetic paper: its title, abstract (sentences of topic and background
//! units, with the links it mentions), authors, identifiers, tags, note and
//! highlight, all drawn from the paper's own random stream.

use super::random::Rng;
use super::words::{
    CONNECTORS, DOI_REGISTRANTS, FAMILY_NAMES, GIVEN_NAMES, JOINERS, NAME_SUFFIXES, OPENERS,
    SMALL_WORDS, TAGS, VENUES,
};
use super::{BLOCK, Corpus, CorpusPaper, SALT_PAPER, Span, Topic};
use crate::model::{Link, LinkKind, NewPaper};

impl Corpus {
    /// The `i`-th paper (0-based), deterministic for `(seed, i)`.
    pub fn paper(&self, i: u64) -> CorpusPaper {
        // Every step draws from one stream, so their order is part of the
        // corpus: changing it changes every paper.
        let mut rng = Rng::stream(self.seed, SALT_PAPER, i);
        let topic_id = self.topic_alias.sample(&mut rng);
        let topic = &self.topics[topic_id as usize];
        let (year, month, serial) = self.calendar(i);
        let (authors, family) = author_list(&mut rng);
        let (title, name) = self.title(&mut rng, topic, i);
        let links = self.links(&mut rng, topic, name.as_deref(), family);
        let (abstract_text, body_end) = self.abstract_text(&mut rng, topic, &links);
        let arxiv = rng.chance(60).then(|| arxiv_id(year, month, serial));
        let doi = rng.chance(50).then(|| self.doi(&mut rng, year, i));
        let tags = tags(&mut rng, topic_id, topic.domain);
        let note = rng.chance(10).then(|| self.note(&mut rng, topic));
        let highlight = rng
            .chance(10)
            .then(|| highlight(&mut rng, &abstract_text[..body_end]).to_string());

        CorpusPaper {
            paper: NewPaper {
                title,
                abstract_text,
                authors,
                year: Some(year),
                doi,
                arxiv,
                links,
                tags,
                source: source_name(i),
                ..NewPaper::default()
            },
            topic: topic_id,
            note,
            highlight,
        }
    }

    /// The code repository (30 %) and dataset (5 %) a paper links to, owned
    /// by its first author's family name; a repository is often named
    /// after the paper's `Name:` title.
    fn links(&self, rng: &mut Rng, topic: &Topic, name: Option<&str>, family: &str) -> Vec<Link> {
        let has_code = rng.chance(30);
        let has_data = rng.chance(5);
        let owner = if has_code || has_data {
            ascii_slug(family)
        } else {
            String::new()
        };
        let mut links = Vec::new();
        if has_code {
            let repo = match name {
                Some(name) if rng.chance(70) => name.to_string(),
                _ => {
                    let a = self.plain_word(rng, topic);
                    if rng.chance(50) {
                        a.to_string()
                    } else {
                        format!("{a}-{}", self.plain_word(rng, topic))
                    }
                }
            };
            links.push(Link {
                url: concat(&["https://github.com/", &owner, "/", &repo]),
                kind: LinkKind::Code,
            });
        }
        if has_data {
            let word = self.plain_word(rng, topic);
            let kind = if rng.chance(50) {
                ""
            } else {
                rng.choose(&["-bench", "-corpus", "-data", "-eval"])
            };
            let url = concat(&["https://huggingface.co/datasets/", &owner, "/", word, kind]);
            links.push(Link {
                url,
                kind: LinkKind::Dataset,
            });
        }
        links
    }

    /// The abstract: 120–250 words of sentences, then a sentence naming the
    /// links, and where the sentences end (highlights stay before that).
    fn abstract_text(&self, rng: &mut Rng, topic: &Topic, links: &[Link]) -> (String, usize) {
        let (tail_words, tail) = links_sentence(links);
        let total = rng.range(120, 250);
        let mut text: Vec<u8> = Vec::with_capacity(total * 10 + 160);
        self.write_body(rng, topic, total - tail_words, &mut text);
        let body_end = text.len();
        for part in tail {
            text.extend_from_slice(part.as_bytes());
        }
        // Only whole units (valid UTF-8) and ASCII were appended.
        let text = String::from_utf8(text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        (text, body_end)
    }

    /// A DOI under a registrant and venue of the word lists; its serial
    /// encodes `i`, so DOIs never collide.
    fn doi(&self, rng: &mut Rng, year: i32, i: u64) -> String {
        let mut doi = concat(&[
            "10.",
            rng.choose(&DOI_REGISTRANTS),
            "/",
            rng.choose(&VENUES),
            ".",
        ]);
        push_number(&mut doi, year as u64, 4);
        doi.push('.');
        push_number(&mut doi, self.doi_shuffle.apply(i), 6);
        doi
    }

    /// Appends a unit's text to an abstract under construction.
    fn push_unit(&self, out: &mut Vec<u8>, span: Span) {
        let start = span.start as usize;
        let len = usize::from(span.len);
        if len <= BLOCK {
            let end = out.len() + len;
            out.extend_from_slice(&self.padded[start..start + BLOCK]);
            out.truncate(end);
        } else {
            out.extend_from_slice(&self.padded[start..start + len]);
        }
    }

    fn write_body(&self, rng: &mut Rng, topic: &Topic, words: usize, out: &mut Vec<u8>) {
        let mut left = words;
        while left > 0 {
            let mut len = rng.range(12, 28);
            if len > left || left - len < 8 {
                len = left;
            }
            self.write_sentence(rng, topic, len, out);
            left -= len;
        }
    }

    fn write_sentence(&self, rng: &mut Rng, topic: &Topic, words: usize, out: &mut Vec<u8>) {
        if !out.is_empty() {
            out.push(b' ');
        }
        let mut left = words;
        let mut first = true;
        if words >= 10 && rng.chance(35) {
            let (opener, opener_words) = rng.choose(&OPENERS);
            out.extend_from_slice(opener.as_bytes());
            left -= opener_words;
            first = false;
        }
        while left > 0 {
            // One draw decides both the source of the unit and a comma.
            let (source, comma) = rng.two_percents();
            let span = if left == 1 {
                self.single_word(rng, topic, 40)
            } else {
                // Selecting the table rather than branching on the draw
                // avoids a hard-to-predict branch in the hottest loop.
                let table = if source < 40 {
                    &topic.alias
                } else {
                    &self.background
                };
                table.sample(rng)
            };
            if first {
                let text = self.text(span).0;
                let mut chars = text.chars();
                if let Some(c) = chars.next() {
                    let mut buf = [0u8; 4];
                    for upper in c.to_uppercase() {
                        out.extend_from_slice(upper.encode_utf8(&mut buf).as_bytes());
                    }
                    out.extend_from_slice(chars.as_str().as_bytes());
                }
                first = false;
            } else {
                out.push(b' ');
                self.push_unit(out, span);
            }
            left -= usize::from(span.words);
            if left > 0 && comma < 5 {
                out.push(b',');
            }
        }
        out.push(b'.');
    }

    fn title(&self, rng: &mut Rng, topic: &Topic, i: u64) -> (String, Option<String>) {
        let suffix = self.suffix(i);
        let named = rng.chance(35);
        let total = rng.range(6, 14);
        let body_words = total
            .saturating_sub(1 + suffix.len() + usize::from(named))
            .max(2);

        let mut body = String::with_capacity(112);
        let mut initials = String::with_capacity(if named { 16 } else { 0 });
        let mut left = body_words;
        let mut since_joiner = 0;
        let mut previous = None;
        let mut tries = 0;
        while left > 0 {
            tries += 1;
            if since_joiner >= 2 && left >= 2 && rng.chance(25) {
                body.push(' ');
                body.push_str(rng.choose(&JOINERS));
                left -= 1;
                since_joiner = 0;
                continue;
            }
            let id = if left == 1 {
                self.single_word(rng, topic, 70)
            } else if rng.chance(70) {
                self.topic_unit(rng, topic)
            } else {
                self.content_unigram(rng)
            };
            if previous == Some(id) && tries < 64 {
                continue;
            }
            previous = Some(id);
            let (text, words) = self.text(id);
            let first = body.is_empty();
            push_title_words(&mut body, text, first);
            if named {
                for word in text.split(' ') {
                    if let Some(c) = word.chars().next().filter(char::is_ascii_alphabetic) {
                        initials.push(c.to_ascii_uppercase());
                    }
                }
            }
            left -= words;
            since_joiner += words;
        }
        body.push(' ');
        body.push_str(rng.choose(&CONNECTORS));
        for &id in &suffix {
            push_title_words(&mut body, self.text(self.spans[id as usize]).0, false);
        }

        if !named {
            return (body, None);
        }
        let mut name = String::with_capacity(16);
        match rng.below(3) {
            0 if initials.len() >= 3 => name.push_str(&initials[..initials.len().min(5)]),
            1 => {
                name_part(&mut name, self.plain_word(rng, topic));
                name.push_str(rng.choose(&NAME_SUFFIXES));
            }
            _ => {
                let a = self.plain_word(rng, topic);
                let b = self.plain_word(rng, topic);
                name_part(&mut name, a);
                name_part(&mut name, b);
            }
        }
        (concat(&[&name, ": ", &body]), Some(name))
    }

    fn note(&self, rng: &mut Rng, topic: &Topic) -> String {
        let sentences = rng.range(1, 3);
        let mut out = String::with_capacity(160);
        for k in 0..sentences {
            if k > 0 {
                out.push(' ');
            }
            let a = self.text(self.topic_unit(rng, topic)).0;
            let b = self.text(self.topic_unit(rng, topic)).0;
            let sentence = match rng.below(8) {
                0 => format!("Key idea: {a} combined with {b}."),
                1 => format!("The **{a}** ablation is worth a second read."),
                2 => format!("Compare with our {a} baseline before citing."),
                3 => format!("Unclear how {a} scales beyond {b}."),
                4 => format!("**TODO:** check the {a} numbers against {b}."),
                5 => format!("Nice discussion of {a} and **{b}**."),
                6 => format!("Useful for the {a} section of the survey."),
                _ => format!("Their {a} setup differs from the usual {b} one."),
            };
            out.push_str(&sentence);
        }
        out
    }
}

/// The closing sentence that names a paper's links (in up to five pieces,
/// so no string is built), and how many words it counts for.
fn links_sentence(links: &[Link]) -> (usize, [&str; 5]) {
    match links {
        [code, data] => (
            9,
            [
                " Code and data are available at ",
                &code.url,
                " and ",
                &data.url,
                ".",
            ],
        ),
        [link] if link.kind == LinkKind::Code => {
            (5, [" Code is available at ", &link.url, ".", "", ""])
        }
        [link] => (6, [" The dataset is available at ", &link.url, ".", "", ""]),
        _ => (0, [""; 5]),
    }
}

/// A new-style arXiv id, `YYMM.NNNNN`.
fn arxiv_id(year: i32, month: u32, serial: u64) -> String {
    let mut id = String::with_capacity(12);
    push_number(&mut id, (year % 100) as u64, 2);
    push_number(&mut id, u64::from(month), 2);
    id.push('.');
    push_number(&mut id, serial, 5);
    id
}

/// `synthetic:<i>`, the paper's import source.
fn source_name(i: u64) -> String {
    let mut source = String::with_capacity(32);
    source.push_str("synthetic:");
    push_number(&mut source, i, 1);
    source
}

/// Joins `parts` with a single allocation.
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends `n` in decimal, zero-padded to `width` digits.
fn push_number(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in digits.len() - k..width {
        out.push('0');
    }
    for &d in &digits[k..] {
        out.push(char::from(d));
    }
}

/// Capitalizes the first letter of `text` while appending it.
fn push_capitalized(out: &mut String, text: &str) {
    let mut chars = text.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// Appends `text` in Title Case: small words stay lowercase unless first;
/// each hyphen part is capitalized; acronyms keep their case.
fn push_title_words(out: &mut String, text: &str, mut first: bool) {
    for word in text.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        for (k, part) in word.split('-').enumerate() {
            if k > 0 {
                out.push('-');
            }
            if (k > 0 || !first) && part.len() <= 7 && SMALL_WORDS.contains(&part) {
                out.push_str(part);
            } else {
                push_capitalized(out, part);
            }
        }
        first = false;
    }
}

/// Appends a capitalized piece of a plain word to a coined name.
fn name_part(out: &mut String, word: &str) {
    let piece = if word.len() <= 6 { word } else { &word[..5] };
    push_capitalized(out, piece);
}

fn author_list(rng: &mut Rng) -> (Vec<String>, &'static str) {
    let n = match rng.below(100) {
        0..6 => 1,
        6..20 => 2,
        20..40 => 3,
        40..60 => 4,
        60..76 => 5,
        76..87 => 6,
        87..94 => 7,
        _ => 8,
    };
    let mut authors: Vec<String> = Vec::with_capacity(n);
    let mut first_family = FAMILY_NAMES[0];
    for _ in 0..n {
        for _attempt in 0..8 {
            let given = rng.pick(&GIVEN_NAMES);
            let family = rng.pick(&FAMILY_NAMES);
            let name = concat(&[given, " ", family]);
            if !authors.contains(&name) {
                if authors.is_empty() {
                    first_family = family;
                }
                authors.push(name);
                break;
            }
        }
    }
    (authors, first_family)
}

fn tags(rng: &mut Rng, topic: u32, domain: &'static str) -> Vec<String> {
    let budget = match rng.below(100) {
        0..40 => 0,
        40..75 => 1,
        75..92 => 2,
        _ => 3,
    };
    let mut tags: Vec<String> = Vec::with_capacity(3);
    if rng.chance(20) {
        tags.push(format!("topic-{topic}"));
    }
    let want = budget.max(tags.len());
    for _ in 0..8 {
        if tags.len() >= want {
            break;
        }
        let tag = if rng.chance(50) {
            domain
        } else {
            rng.pick(&TAGS)
        };
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// 5–12 whole words of `text`, without trailing punctuation.
fn highlight<'a>(rng: &mut Rng, text: &'a str) -> &'a str {
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(256);
    let mut start = None;
    for (pos, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(pos),
            (true, Some(s)) => {
                spans.push((s, pos));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    if spans.is_empty() {
        return text;
    }
    let len = rng.range(5, 12).min(spans.len());
    let first = rng.below((spans.len() - len + 1) as u64) as usize;
    text[spans[first].0..spans[first + len - 1].1].trim_end_matches([',', '.'])
}

/// Lowercase ASCII form of a family name for URLs (`Müller` → `muller`).
pub(super) fn ascii_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' => c,
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' | 'č' | 'ć' => 'c',
            'ś' | 'š' | 'ş' => 's',
            'ř' => 'r',
            'ł' => 'l',
            'ž' | 'ź' | 'ż' => 'z',
            'ğ' => 'g',
            'ý' => 'y',
            _ => continue,
        };
        out.push(folded);
    }
    out
}
