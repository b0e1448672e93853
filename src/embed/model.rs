//! Loading and running a sentence-embedding model from a folder on disk.
//!
//! Two kinds of model are understood, told apart by their `config.json`:
//! - a BERT encoder (all-MiniLM-L6-v2 and its kin): `config.json` with
//!   `"model_type": "bert"`, `model.safetensors`, `tokenizer.json`; run
//!   with candle on the CPU, the token states mean-pooled over the real
//!   tokens;
//! - a static model (a Model2Vec distillation): `config.json` with
//!   `"model_type": "model2vec"`, `model.safetensors` holding one vector
//!   per token (`embeddings`), `tokenizer.json`; a text's vector is the
//!   mean of its tokens' vectors.
//!
//! Either way each vector comes out L2-normalised, so a dot product is the
//! cosine similarity.
//!
//! A BERT model runs on one of two runtimes ([`Model::runtime`]): on a CPU
//! with AVX-512 bf16, `lectern-encoder`'s bf16 forward pass (on AMX tiles
//! where there are some: about ten times faster than candle; several times
//! with dot products in registers); elsewhere, or with `LECTERN_NO_AMX=1`,
//! candle's f32 one. Their
//! vectors agree to a cosine of about 0.999, so they mix in one store.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

use crate::error::{Error, Result};

/// Texts run through the encoder at once.
const BATCH: usize = 16;

/// The longest input, in tokens, when the model folder does not say.
const DEFAULT_MAX_TOKENS: usize = 256;

/// Bytes read from each end of the weights for the model's identity.
const DIGEST_EDGE: u64 = 1 << 20;

/// Which model made a vector: vectors of different models never mix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelId {
    /// A readable name: the folder's `lectern-model.json` name, else the
    /// folder's own name.
    pub name: String,
    /// A digest of the configuration, the tokenizer and the weights' size
    /// and ends (16 hex digits): a changed model gets a new one.
    pub digest: String,
    pub dims: usize,
}

impl ModelId {
    /// What is stored beside the vectors: the digest alone, so the same
    /// files under another folder name are the same model.
    pub fn key(&self) -> String {
        self.digest.clone()
    }

    /// `name@digest`, as shown.
    pub fn shown(&self) -> String {
        format!("{}@{}", self.name, self.digest)
    }
}

enum Kind {
    Bert(Box<BertModel>),
    /// The same encoder on AMX tiles.
    Tiles(Box<lectern_encoder::Bert>),
    /// One row per token id.
    Static(Tensor),
}

/// A loaded model, ready to embed texts.
pub struct Model {
    kind: Kind,
    tokenizer: Tokenizer,
    id: ModelId,
    dir: PathBuf,
}

impl Model {
    /// Loads the model in `dir`; a clear error names what is missing or
    /// unreadable.
    pub fn load(dir: &Path) -> Result<Model> {
        let no_tiles =
            std::env::var_os("LECTERN_NO_AMX").is_some_and(|v| !v.is_empty() && v != "0");
        Model::load_on(dir, !no_tiles)
    }

    /// Loads the model, on AMX tiles where `tiles` allows and the CPU has
    /// them.
    fn load_on(dir: &Path, tiles: bool) -> Result<Model> {
        let fail = |message: String| Error::Model {
            path: dir.to_path_buf(),
            message,
        };
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| {
                fail(if e.kind() == std::io::ErrorKind::NotFound {
                    format!("{name} is missing (a model folder holds config.json, tokenizer.json and model.safetensors)")
                } else {
                    format!("{name}: {e}")
                })
            })
        };
        let config_bytes = read("config.json")?;
        let tokenizer_bytes = read("tokenizer.json")?;
        let config: serde_json::Value = serde_json::from_slice(&config_bytes)
            .map_err(|e| fail(format!("config.json is not JSON: {e}")))?;
        let weights = dir.join("model.safetensors");
        let digest = digest(&config_bytes, &tokenizer_bytes, &weights).map_err(|e| {
            fail(if e.kind() == std::io::ErrorKind::NotFound {
                "model.safetensors is missing".to_string()
            } else {
                format!("model.safetensors: {e}")
            })
        })?;
        let max_tokens = max_tokens(dir);
        let mut tokenizer = Tokenizer::from_bytes(&tokenizer_bytes)
            .map_err(|e| fail(format!("tokenizer.json: {e}")))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..Default::default()
            }))
            .map_err(|e| fail(format!("tokenizer.json: {e}")))?;
        tokenizer.with_padding(Some(PaddingParams::default()));
        let device = Device::Cpu;
        let model_type = config
            .get("model_type")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        // SAFETY of the map: the file is only read, and a model folder is
        // replaced as a whole (a new folder renamed into place), never
        // written in place.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
            .map_err(|e| fail(format!("model.safetensors: {e}")))?;
        let (kind, dims) = match model_type {
            "bert" => {
                let bert: BertConfig = serde_json::from_value(config.clone())
                    .map_err(|e| fail(format!("config.json: {e}")))?;
                let dims = bert.hidden_size;
                match tiles.then(|| on_tiles(&config, &vb)).flatten() {
                    Some(model) => (Kind::Tiles(Box::new(model)), dims),
                    None => {
                        let model = BertModel::load(vb, &bert)
                            .map_err(|e| fail(format!("model.safetensors: {e}")))?;
                        (Kind::Bert(Box::new(model)), dims)
                    }
                }
            }
            "model2vec" => {
                let table = vb
                    .get_unchecked("embeddings")
                    .map_err(|e| fail(format!("model.safetensors: {e}")))?;
                let dims = table
                    .dims2()
                    .map_err(|e| fail(format!("model.safetensors: {e}")))?
                    .1;
                (Kind::Static(table), dims)
            }
            other => {
                return Err(fail(format!(
                    "config.json names model type `{other}`; Lectern runs `bert` and `model2vec` models"
                )));
            }
        };
        let name = model_name(dir);
        Ok(Model {
            kind,
            tokenizer,
            id: ModelId { name, digest, dims },
            dir: dir.to_path_buf(),
        })
    }

    pub fn id(&self) -> &ModelId {
        &self.id
    }

    /// What runs the model: "AMX tiles (bf16)", "AVX-512 (bf16)",
    /// "candle (f32)" or "a lookup table" for a static model.
    pub fn runtime(&self) -> &'static str {
        match self.kind {
            Kind::Tiles(_) if lectern_encoder::amx::on_tiles() => "AMX tiles (bf16)",
            Kind::Tiles(_) => "AVX-512 (bf16)",
            Kind::Bert(_) => "candle (f32)",
            Kind::Static(_) => "a lookup table",
        }
    }

    /// One normalised vector per text, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if let Kind::Tiles(bert) = &self.kind {
            let encodings = self
                .tokenizer
                .encode_batch(texts.to_vec(), true)
                .map_err(|e| Error::Model {
                    path: self.dir.clone(),
                    message: format!("tokenizing: {e}"),
                })?;
            // Padding sits at the end: each text's ids are the masked-in ones.
            let ids: Vec<&[u32]> = encodings
                .iter()
                .map(|e| {
                    let real = e.get_attention_mask().iter().filter(|&&m| m == 1).count();
                    &e.get_ids()[..real]
                })
                .collect();
            return Ok(bert.embed(&ids).into_iter().map(normalised).collect());
        }
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            out.extend(self.embed_batch(batch)?);
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let fail = |message: String| Error::Model {
            path: self.dir.clone(),
            message,
        };
        let run = |e: candle_core::Error| fail(format!("running the model: {e}"));
        // A static model's table has no use for BERT's [CLS] and [SEP].
        let special = !matches!(self.kind, Kind::Static(_));
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), special)
            .map_err(|e| fail(format!("tokenizing: {e}")))?;
        let ids: Vec<Vec<u32>> = encodings.iter().map(|e| e.get_ids().to_vec()).collect();
        let mask: Vec<Vec<u32>> = encodings
            .iter()
            .map(|e| e.get_attention_mask().to_vec())
            .collect();
        let device = Device::Cpu;
        let ids = Tensor::new(ids, &device).map_err(run)?;
        let mask = Tensor::new(mask, &device).map_err(run)?;
        // (batch, tokens, dims): each token's vector.
        let states = match &self.kind {
            Kind::Bert(model) => {
                let types = ids.zeros_like().map_err(run)?;
                model.forward(&ids, &types, Some(&mask)).map_err(run)?
            }
            Kind::Tiles(_) => unreachable!("embed runs the tiles itself"),
            Kind::Static(table) => {
                let (batch, len) = ids.dims2().map_err(run)?;
                table
                    .index_select(&ids.flatten_all().map_err(run)?, 0)
                    .and_then(|t| t.reshape((batch, len, self.id.dims)))
                    .map_err(run)?
            }
        };
        let mask = mask
            .to_dtype(DType::F32)
            .and_then(|m| m.unsqueeze(2))
            .map_err(run)?;
        let summed = states
            .broadcast_mul(&mask)
            .and_then(|t| t.sum(1))
            .map_err(run)?;
        let counts = mask.sum(1).map_err(run)?;
        let mean = summed
            .broadcast_div(&counts.clamp(1f32, f32::MAX).map_err(run)?)
            .map_err(run)?;
        let rows: Vec<Vec<f32>> = mean.to_vec2().map_err(run)?;
        Ok(rows.into_iter().map(normalised).collect())
    }
}

/// The BERT model of `config` on AMX tiles, when this CPU has them, the
/// model's shape fits them.
fn on_tiles(config: &serde_json::Value, vb: &VarBuilder) -> Option<lectern_encoder::Bert> {
    let size = |key: &str| config.get(key)?.as_u64().map(|n| n as usize);
    let text = |key: &str| config.get(key).and_then(|v| v.as_str());
    // The tiles run plain BERT: exact GELU and absolute positions.
    if text("hidden_act") != Some("gelu")
        || !matches!(text("position_embedding_type"), None | Some("absolute"))
    {
        return None;
    }
    let shape = lectern_encoder::Shape {
        hidden: size("hidden_size")?,
        heads: size("num_attention_heads")?,
        layers: size("num_hidden_layers")?,
        intermediate: size("intermediate_size")?,
        vocab: size("vocab_size")?,
        max_positions: size("max_position_embeddings")?,
        type_vocab: size("type_vocab_size").unwrap_or(2),
        eps: config
            .get("layer_norm_eps")
            .and_then(|v| v.as_f64())
            .unwrap_or(1e-12) as f32,
    };
    let mut tensor = |name: &str| -> std::result::Result<Vec<f32>, String> {
        let read = |name: &str| {
            vb.get_unchecked_dtype(name, DType::F32)
                .and_then(|t| t.flatten_all())
                .and_then(|t| t.to_vec1::<f32>())
        };
        // Some checkpoints keep the encoder under `bert.`.
        read(name)
            .or_else(|_| read(&format!("bert.{name}")))
            .map_err(|e| format!("{name}: {e}"))
    };
    lectern_encoder::Bert::load(shape, &mut tensor).ok()
}

/// The vector scaled to length 1 (a zero vector stays zero).
pub fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// The model's name: `name` in the folder's `lectern-model.json`, else the
/// folder's name.
fn model_name(dir: &Path) -> String {
    std::fs::read(dir.join(super::MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("name")?.as_str().map(str::to_string))
        .or_else(|| Some(dir.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "model".to_string())
}

/// `max_seq_length` of a sentence-transformers folder, else the default.
fn max_tokens(dir: &Path) -> usize {
    std::fs::read(dir.join("sentence_bert_config.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("max_seq_length")?.as_u64())
        .map(|n| n as usize)
        .unwrap_or(DEFAULT_MAX_TOKENS)
}

/// 16 hex digits over the configuration, the tokenizer and the weights'
/// size and first and last MiB: cheap at every load, and different for a
/// different model.
fn digest(config: &[u8], tokenizer: &[u8], weights: &Path) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(weights)?;
    let len = file.metadata()?.len();
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(config.len() as u64).to_le_bytes());
    hasher.update(config);
    hasher.update(&(tokenizer.len() as u64).to_le_bytes());
    hasher.update(tokenizer);
    hasher.update(&len.to_le_bytes());
    let mut edge = Vec::new();
    (&mut file).take(DIGEST_EDGE).read_to_end(&mut edge)?;
    hasher.update(&edge);
    if len > DIGEST_EDGE {
        file.seek(SeekFrom::Start(len.saturating_sub(DIGEST_EDGE)))?;
        edge.clear();
        file.take(DIGEST_EDGE).read_to_end(&mut edge)?;
        hasher.update(&edge);
    }
    Ok(hasher.finalize().to_hex()[..16].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample listing's abstracts: real text of every length.
    fn abstracts() -> Vec<String> {
        let listing = include_str!("../../tests/fixtures/trending-papers.txt");
        let papers = crate::import::listing::parse_listing(listing, "sample").papers;
        papers
            .into_iter()
            .map(|p| format!("{}. {}", p.title, p.abstract_text))
            .collect()
    }

    #[test]
    fn the_tiles_and_candle_agree_on_real_abstracts() {
        let Some(dir) = crate::bench::test_model_dir() else {
            assert!(
                std::env::var_os("LECTERN_REQUIRE_MODEL").is_none(),
                "the test model is missing (scripts/fetch-model)"
            );
            return;
        };
        let tiles = Model::load_on(&dir, true).expect("model");
        if !matches!(tiles.kind, Kind::Tiles(_)) {
            eprintln!("no AVX-512 bf16 here: only candle runs");
            return;
        }
        let candle = Model::load_on(&dir, false).expect("model");
        assert_eq!(candle.runtime(), "candle (f32)");
        let texts = abstracts();
        assert!(texts.len() > 70);
        let mut texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        // A one-word text and an empty one too.
        texts.extend(["attention", ""]);
        let fast = tiles.embed(&texts).expect("tiles");
        let slow = candle.embed(&texts).expect("candle");
        assert_eq!(fast.len(), texts.len());
        let mut worst = 1.0f32;
        for (a, b) in fast.iter().zip(&slow) {
            let cosine: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            worst = worst.min(cosine);
        }
        eprintln!("lowest cosine between the runtimes: {worst}");
        assert!(worst > 0.995, "lowest cosine between the runtimes: {worst}");
        // Each text alone gives the vector it gets in a batch.
        let alone = tiles.embed(&texts[3..4]).expect("tiles");
        let same: f32 = alone[0].iter().zip(&fast[3]).map(|(x, y)| x * y).sum();
        assert!(same > 0.9999, "{same}");
    }
}
