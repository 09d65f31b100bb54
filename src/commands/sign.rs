//! `sign`: a detached SSH signature of a report's `manifest.json`, written beside it as
//! `manifest.json.sig`. The manifest holds the SHA-256 of every other file of the report, so
//! the signature covers the whole report; it is not inside any of them (they are hashed into
//! the manifest it signs). Before signing, every file is checked against the manifest, so a
//! committee never signs a folder that was changed after the build.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::publish::manifest::{self, Manifest, SIGNATURE_FILE, SIGNATURE_NAMESPACE};
use crate::publish::signature::{self, Signed};

/// What `sign` did, for its message.
#[derive(Debug, Clone)]
pub struct SignOutcome {
    pub manifest: PathBuf,
    pub signature: PathBuf,
    pub signed: Signed,
    /// `[signing] identity` as the report records it.
    pub identity: Option<String>,
    pub key_published_at: Option<String>,
}

impl SignOutcome {
    /// How readers check the signature, and the line the committee publishes.
    pub fn instructions(&self) -> Vec<String> {
        let id = self.identity.as_deref().unwrap_or("IDENTITY");
        let mut out = vec![
            format!(
                "readers check it with: ssh-keygen -Y verify -f allowed_signers -I {id} -n {SIGNATURE_NAMESPACE} -s {} < {}",
                self.signature.display(),
                self.manifest.display()
            ),
            format!(
                "or: transparency-report verify --report {} --signers allowed_signers",
                self.manifest.parent().map_or(".".into(), |p| p.display().to_string())
            ),
            format!(
                "allowed_signers holds the committee's public key; publish this line{}: {id} {}",
                self.key_published_at
                    .as_deref()
                    .map_or(String::new(), |w| format!(" ({w})")),
                self.signed.public_key
            ),
        ];
        if self.identity.is_none() {
            out.push(
                "warning: the report does not say who signs it: add `[signing] identity = \"…\"` to report.toml and build again, so that its methodology names the signer and how to check"
                    .into(),
            );
        }
        out
    }
}

pub fn run(report: &Path, key: &Path) -> Result<SignOutcome> {
    let mpath = report.join(manifest::FILE);
    let bytes = std::fs::read(&mpath).map_err(|e| {
        Error::io(
            format!(
                "cannot read {} (is {} a report folder?)",
                mpath.display(),
                report.display()
            ),
            e,
        )
    })?;
    let m = Manifest::parse(&bytes)
        .map_err(|e| Error::Usage(format!("{} cannot be read: {e}", mpath.display())))?;
    let mut changed = Vec::new();
    for o in &m.outputs {
        match std::fs::read(report.join(&o.path)) {
            Ok(b) if sha256_hex(&b) == o.sha256 => {}
            Ok(_) => changed.push(format!("{} was changed after the build", o.path)),
            Err(_) => changed.push(format!("{} is missing", o.path)),
        }
    }
    if !changed.is_empty() {
        return Err(Error::Usage(format!(
            "refusing to sign {}: the report folder is not the one its manifest describes ({}); build it again",
            report.display(),
            changed.join("; ")
        )));
    }
    let signed = signature::sign(&bytes, key, &mpath)?;
    let sig_path = report.join(SIGNATURE_FILE);
    let tmp = report.join(format!(".{SIGNATURE_FILE}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, signed.pem.as_bytes())
        .and_then(|()| std::fs::rename(&tmp, &sig_path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(format!("cannot write {}", sig_path.display()), e)
        })?;
    Ok(SignOutcome {
        manifest: mpath,
        signature: sig_path,
        signed,
        identity: m.signing.as_ref().map(|s| s.identity.clone()),
        key_published_at: m.signing.and_then(|s| s.key_published_at),
    })
}
