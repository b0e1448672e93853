//! Search by meaning: a sentence-embedding model run on the CPU turns each
//! paper's title and abstract (and, apart, what the reader wrote on it)
//! into a vector; papers close in meaning have vectors close in angle.
//!
//! Derived data, like the full-text index: the vectors live in
//! `.lectern/embeddings.db` ([`store`]) with the model that made them, a
//! background [`job`] keeps them up to date, and everything works without
//! them (search by words only). [`model`] loads and runs a model folder,
//! [`vectors`] compares vectors, [`download`] fetches the model once, with
//! the person's consent. [`Meaning`] is what the library's searches read.

pub mod download;
pub mod job;
pub mod model;
pub mod store;
pub mod vectors;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use job::{Job, Plan};
pub use model::{Model, ModelId};
pub use vectors::{Quantized, VectorSet};

use crate::error::{Error, Result};

/// A file a model folder may hold to name the model (`{"name": …}`).
pub const MANIFEST: &str = "lectern-model.json";

/// The model Lectern uses unless told otherwise.
pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2";

/// Where the model is looked for: `LECTERN_MODEL` when set, else
/// `models/all-MiniLM-L6-v2` in the user's data folder
/// (`$XDG_DATA_HOME/lectern`, by default `~/.local/share/lectern`).
pub fn model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LECTERN_MODEL") {
        return PathBuf::from(dir);
    }
    data_dir().join("models").join(DEFAULT_MODEL)
}

/// The user's data folder for Lectern.
pub fn data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default()
                .join(".local")
                .join("share")
        });
    base.join("lectern")
}

/// Every vector of the file, read afresh.
fn load(store: &store::VectorStore, version: (i64, u64), dims: usize) -> Result<Loaded> {
    let (mark, set) = store.load_marked(dims)?;
    Ok(Loaded { version, mark, set })
}

/// Whether a model folder is in place (it may still fail to load).
pub fn model_present(dir: &Path) -> bool {
    ["config.json", "tokenizer.json", "model.safetensors"]
        .iter()
        .all(|f| dir.join(f).is_file())
}

/// What the library's searches read: the model (loaded on first use) and
/// the stored vectors (brought up to date when the job has written more:
/// only what it wrote is read, unless it dropped vectors).
pub struct Meaning {
    private: PathBuf,
    model_dir: PathBuf,
    model: Option<Arc<Model>>,
    store: Option<store::VectorStore>,
    set: Option<Loaded>,
}

/// The vectors in memory, and how far they follow the file.
struct Loaded {
    version: (i64, u64),
    mark: store::Mark,
    set: VectorSet,
}

impl Meaning {
    /// For the library at `root`, with the model of [`model_dir`].
    pub fn for_library(root: &Path) -> Meaning {
        Meaning::new(&root.join(crate::library::PRIVATE_DIR), model_dir())
    }

    pub fn new(private: &Path, model_dir: PathBuf) -> Meaning {
        Meaning {
            private: private.to_path_buf(),
            model_dir,
            model: None,
            store: None,
            set: None,
        }
    }

    pub fn model_dir(&self) -> &Path {
        &self.model_dir
    }

    /// The model, loaded on first use; [`Error::Model`] when it is not
    /// installed or cannot be read.
    pub fn model(&mut self) -> Result<Arc<Model>> {
        if let Some(model) = &self.model {
            return Ok(model.clone());
        }
        if !model_present(&self.model_dir) {
            return Err(Error::Model {
                path: self.model_dir.clone(),
                message: "not installed; `lectern model fetch` downloads it (about 91 MB), \
                          `lectern model place DIR` uses a copy you have; search by words works without it"
                    .into(),
            });
        }
        let model = Arc::new(Model::load(&self.model_dir)?);
        self.model = Some(model.clone());
        Ok(model)
    }

    /// The stored vectors of the current model (none when the file holds
    /// another model's, until the job has redone them).
    pub fn vectors(&mut self) -> Result<&VectorSet> {
        let model = self.model()?;
        if self.store.is_none() {
            self.store = Some(store::VectorStore::open(&self.private)?);
        }
        let Some(store) = &self.store else {
            unreachable!("opened above")
        };
        let version = store.version()?;
        let ours = store.model()?.as_deref() == Some(&model.id().key());
        let loaded = match self.set.take() {
            Some(loaded) if loaded.version == version => loaded,
            Some(mut loaded) if ours && !loaded.set.worth_reloading() => {
                match store.changes_since(&loaded.mark)? {
                    Some((mark, changed)) => {
                        for (id, vectors) in &changed {
                            loaded.set.replace(id, vectors);
                        }
                        Loaded {
                            version,
                            mark,
                            set: loaded.set,
                        }
                    }
                    None => load(store, version, model.id().dims)?,
                }
            }
            _ if ours => load(store, version, model.id().dims)?,
            _ => Loaded {
                version,
                mark: store.mark()?,
                set: VectorSet::new(model.id().dims),
            },
        };
        Ok(&self.set.insert(loaded).set)
    }

    /// Forgets the loaded vectors and the open file (after they were
    /// deleted).
    pub fn forget(&mut self) {
        self.store = None;
        self.set = None;
    }
}
