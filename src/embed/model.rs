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
                let model = BertModel::load(vb, &bert)
                    .map_err(|e| fail(format!("model.safetensors: {e}")))?;
                (Kind::Bert(Box::new(model)), dims)
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

    /// One normalised vector per text, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
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
        let special = matches!(self.kind, Kind::Bert(_));
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
