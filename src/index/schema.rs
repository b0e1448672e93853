//! The tantivy schema and the text analyzers it uses.
//!
//! Text fields use `lectern_en`: split on non-alphanumerics, drop very long
//! tokens, lowercase, fold to ASCII, English (Porter) stemming. Authors use
//! the same chain without stemming so names match as typed; tags are one
//! lowercase token each.

use tantivy::Index;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

pub const STEMMED: &str = "lectern_en";
pub const PLAIN: &str = "lectern_plain";
pub const KEYWORD: &str = "lectern_keyword";

/// Handles to the fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub author: Field,
    pub abstract_text: Field,
    pub notes: Field,
    pub annotations: Field,
    /// The full text of an attached PDF.
    pub fulltext: Field,
    pub tag: Field,
    pub status: Field,
    pub year: Field,
}

fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(STEMMED)),
        author: b.add_text_field("author", text(PLAIN)),
        abstract_text: b.add_text_field("abstract", text(STEMMED)),
        notes: b.add_text_field("notes", text(STEMMED)),
        annotations: b.add_text_field("annotations", text(STEMMED)),
        fulltext: b.add_text_field("fulltext", text(STEMMED)),
        tag: b.add_text_field("tag", text(KEYWORD)),
        status: b.add_text_field("status", STRING),
        year: b.add_u64_field("year", INDEXED),
    };
    (b.build(), fields)
}

/// Looks the field handles up in an opened index's schema.
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    Ok(Fields {
        id: schema.get_field("id")?,
        title: schema.get_field("title")?,
        author: schema.get_field("author")?,
        abstract_text: schema.get_field("abstract")?,
        notes: schema.get_field("notes")?,
        annotations: schema.get_field("annotations")?,
        fulltext: schema.get_field("fulltext")?,
        tag: schema.get_field("tag")?,
        status: schema.get_field("status")?,
        year: schema.get_field("year")?,
    })
}

/// The stemming analyzer, also used outside tantivy (related-paper terms).
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(super::stem::CachedStemmer)
        .build()
}

/// The stemming analyzer without its last step: the same tokens at the same
/// offsets, not yet stemmed (author names; snippet highlighting, which
/// stems each distinct word once).
pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers on an index.
pub fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(STEMMED, stemmed_analyzer());
    tokenizers.register(PLAIN, plain_analyzer());
    tokenizers.register(
        KEYWORD,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}
