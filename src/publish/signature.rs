//! Detached SSH signatures of `manifest.json`, in OpenSSH's SSHSIG format, so that
//! `ssh-keygen -Y verify` checks them without this tool, and an OpenSSH allowed-signers file
//! says whose key may sign (`ssh-keygen(1)`, "ALLOWED SIGNERS").
//!
//! Signing takes an unencrypted Ed25519 private key in OpenSSH format; a key protected by a
//! passphrase (or held by an agent or a hardware token) is used with `ssh-keygen -Y sign`,
//! which writes the same file. No key, private or public, is written into the report.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::manifest::{SIGNATURE_FILE, SIGNATURE_NAMESPACE};
use crate::error::{Error, Result};

/// What `sign` wrote, for its message.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The signature, PEM (`-----BEGIN SSH SIGNATURE-----`).
    pub pem: String,
    /// `SHA256:…`, as `ssh-keygen -l` shows it.
    pub fingerprint: String,
    /// The public key in OpenSSH form (`ssh-ed25519 AAAA…`), for the allowed-signers line.
    pub public_key: String,
}

/// The `ssh-keygen -Y sign` command that signs `manifest` with `key` into the same file.
pub fn ssh_keygen_sign(key: &Path, manifest: &Path) -> String {
    format!(
        "ssh-keygen -Y sign -f {} -n {SIGNATURE_NAMESPACE} {}",
        key.display(),
        manifest.display()
    )
}

/// Signs `manifest` (the bytes of `manifest.json`) with the private key in `key_path`.
pub fn sign(manifest: &[u8], key_path: &Path, manifest_path: &Path) -> Result<Signed> {
    let text = std::fs::read(key_path)
        .map_err(|e| Error::io(format!("cannot read the key {}", key_path.display()), e))?;
    let other_way = || ssh_keygen_sign(key_path, manifest_path);
    let key = PrivateKey::from_openssh(&text).map_err(|e| {
        Error::Usage(format!(
            "{} is not an OpenSSH private key ({e}); give the private key file (e.g. ~/.ssh/id_ed25519, not the .pub file)",
            key_path.display()
        ))
    })?;
    if key.is_encrypted() {
        return Err(Error::Usage(format!(
            "the key {} is protected by a passphrase, which this tool does not read; sign with ssh-keygen instead, which asks for it and writes the same signature file:\n  {}",
            key_path.display(),
            other_way()
        )));
    }
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(Error::Usage(format!(
            "the key {} is {}; this tool signs with Ed25519 keys (ssh-keygen -t ed25519). To sign with this key, use ssh-keygen, which writes the same signature file:\n  {}",
            key_path.display(),
            key.algorithm(),
            other_way()
        )));
    }
    let sig = key
        .sign(SIGNATURE_NAMESPACE, HashAlg::Sha512, manifest)
        .map_err(|e| Error::Usage(format!("cannot sign with {}: {e}", key_path.display())))?;
    let pem = sig
        .to_pem(LineEnding::LF)
        .map_err(|e| Error::Usage(format!("cannot encode the signature: {e}")))?;
    let public = key.public_key();
    Ok(Signed {
        pem,
        fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
        public_key: PublicKey::new(public.key_data().clone(), "")
            .to_openssh()
            .unwrap_or_default(),
    })
}

/// One line of an allowed-signers file.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    /// 1-based line in the file.
    pub line: usize,
    /// Principal patterns (`*`, `?`, `!`), comma-separated in the file.
    pub principals: Vec<String>,
    /// `namespaces="…"`: the namespaces the key may sign for (patterns).
    pub namespaces: Option<Vec<String>>,
    /// `valid-after` / `valid-before`, as instants (seconds since the epoch).
    pub valid_after: Option<i64>,
    pub valid_before: Option<i64>,
    pub key: PublicKey,
}

/// An allowed-signers file: the lines this tool can use, and what it left out and why.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    pub signers: Vec<AllowedSigner>,
    pub skipped: Vec<String>,
}

impl AllowedSigners {
    pub fn parse(text: &str, file: &str) -> AllowedSigners {
        let mut out = AllowedSigners::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok(Some(mut s)) => {
                    s.line = i + 1;
                    out.signers.push(s);
                }
                Ok(None) => out.skipped.push(format!(
                    "{file}:{}: a certificate authority, which this tool does not check (ssh-keygen does)",
                    i + 1
                )),
                Err(m) => out.skipped.push(format!("{file}:{}: {m}", i + 1)),
            }
        }
        out
    }
}

/// Splits on whitespace outside double quotes.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
            cur.push(c);
        } else if c.is_whitespace() && !quoted {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Splits on commas outside double quotes.
fn split_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-")
}

/// `Ok(None)`: a certificate-authority line.
fn parse_line(line: &str) -> std::result::Result<Option<AllowedSigner>, String> {
    let t = tokens(line);
    if t.len() < 3 {
        return Err("expected `principals [options] key-type base64-key`".into());
    }
    let principals: Vec<String> = unquote(&t[0]).split(',').map(str::to_string).collect();
    let (options, at) = if is_key_type(&t[1]) {
        (None, 1)
    } else {
        (Some(t[1].as_str()), 2)
    };
    let (Some(kind), Some(b64)) = (t.get(at), t.get(at + 1)) else {
        return Err("no key after the options".into());
    };
    let key = PublicKey::from_openssh(&format!("{kind} {b64}"))
        .map_err(|e| format!("a key this tool cannot read ({kind}: {e})"))?;
    let mut s = AllowedSigner {
        line: 0,
        principals,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        key,
    };
    for opt in options.map(split_commas_keep_quotes).unwrap_or_default() {
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) => (n.to_ascii_lowercase(), Some(unquote(v).to_string())),
            None => (opt.to_ascii_lowercase(), None),
        };
        match (name.as_str(), value) {
            ("cert-authority", _) => return Ok(None),
            ("namespaces", Some(v)) => s.namespaces = Some(split_commas(&v)),
            ("valid-after", Some(v)) => s.valid_after = Some(openssh_time(&v)?),
            ("valid-before", Some(v)) => s.valid_before = Some(openssh_time(&v)?),
            (other, _) => return Err(format!("an option this tool does not know: `{other}`")),
        }
    }
    Ok(Some(s))
}

/// Options are separated by commas outside quotes; a quoted value keeps its quotes here.
fn split_commas_keep_quotes(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// `YYYYMMDD[HHMM[SS]][Z]`, local time unless `Z` (as `ssh-keygen` reads it).
fn openssh_time(v: &str) -> std::result::Result<i64, String> {
    let (digits, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(d) => (d, true),
        None => (v, false),
    };
    let bad = || format!("`{v}` is not a time of the form YYYYMMDD[HHMM[SS]][Z]");
    let naive = match digits.len() {
        8 => NaiveDate::parse_from_str(digits, "%Y%m%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        12 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M").ok(),
        14 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok(),
        _ => None,
    }
    .ok_or_else(bad)?;
    if utc {
        Ok(naive.and_utc().timestamp())
    } else {
        chrono::Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.timestamp())
            .ok_or_else(bad)
    }
}

/// OpenSSH's pattern lists: `*` and `?` wildcards, `!` negates; a negated match wins.
fn matches_list(patterns: &[String], name: &str) -> bool {
    let mut hit = false;
    for p in patterns {
        let (neg, p) = match p.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, p.as_str()),
        };
        if wildcard(p.as_bytes(), name.as_bytes()) {
            if neg {
                return false;
            }
            hit = true;
        }
    }
    hit
}

fn wildcard(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => wildcard(&p[1..], s) || (!s.is_empty() && wildcard(p, &s[1..])),
        (Some(b'?'), Some(_)) => wildcard(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => wildcard(&p[1..], &s[1..]),
        _ => false,
    }
}

/// What checking the signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// A good signature by a key the file lists (for the identity, when one is asked for).
    Good {
        principals: Vec<String>,
        fingerprint: String,
    },
    /// The signature does not show that the listed signer signed this manifest.
    Bad(String),
    /// This tool cannot check it (a key type it does not verify); `ssh-keygen` can.
    Unsupported(String),
}

/// Checks `sig` (the bytes of `manifest.json.sig`) over `manifest` against `allowed`:
/// made in our namespace, by a key the file lists for `identity` (any principal when `None`)
/// and this namespace, valid now, and matching the bytes.
pub fn check(
    manifest: &[u8],
    sig: &[u8],
    allowed: &AllowedSigners,
    identity: Option<&str>,
    signers_file: &str,
) -> Check {
    let sig = match std::str::from_utf8(sig)
        .map_err(|e| e.to_string())
        .and_then(|s| SshSig::from_pem(s).map_err(|e| e.to_string()))
    {
        Ok(s) => s,
        Err(e) => return Check::Bad(format!("{SIGNATURE_FILE} is not an SSH signature ({e})")),
    };
    if sig.namespace() != SIGNATURE_NAMESPACE {
        return Check::Bad(format!(
            "{SIGNATURE_FILE} was made for the namespace `{}`, not `{SIGNATURE_NAMESPACE}`: it is not a signature of a report",
            sig.namespace()
        ));
    }
    let fingerprint = sig.public_key().fingerprint(HashAlg::Sha256).to_string();
    let now = chrono::Utc::now().timestamp();
    let for_whom = identity.map_or(String::new(), |i| format!(" for {i}"));
    let listed: Vec<&AllowedSigner> = allowed
        .signers
        .iter()
        .filter(|s| s.key.key_data() == sig.public_key())
        .collect();
    let usable: Vec<&AllowedSigner> = listed
        .iter()
        .copied()
        .filter(|s| identity.is_none_or(|i| matches_list(&s.principals, i)))
        .filter(|s| {
            s.namespaces
                .as_ref()
                .is_none_or(|n| matches_list(n, SIGNATURE_NAMESPACE))
        })
        .collect();
    let Some(signer) = usable.first() else {
        let why = if listed.is_empty() {
            format!("which {signers_file} does not list")
        } else {
            format!(
                "which {signers_file} lists (line {}) but not{for_whom} and the namespace {SIGNATURE_NAMESPACE}",
                listed[0].line
            )
        };
        return Check::Bad(format!(
            "{SIGNATURE_FILE} was made with the key {fingerprint}, {why}{}",
            if listed.is_empty() {
                for_whom
            } else {
                String::new()
            }
        ));
    };
    if signer.valid_after.is_some_and(|t| now < t) || signer.valid_before.is_some_and(|t| now > t) {
        return Check::Bad(format!(
            "{signers_file}:{}: the key {fingerprint} is not valid now (valid-after/valid-before)",
            signer.line
        ));
    }
    match signer.key.verify(SIGNATURE_NAMESPACE, manifest, &sig) {
        Ok(()) => Check::Good {
            principals: match identity {
                Some(i) => vec![i.to_string()],
                None => signer.principals.clone(),
            },
            fingerprint,
        },
        Err(_) if sig.algorithm() != Algorithm::Ed25519 => Check::Unsupported(format!(
            "{SIGNATURE_FILE} was made with a {} key; this tool checks Ed25519 signatures: check it with ssh-keygen -Y verify (see the README)",
            sig.algorithm()
        )),
        Err(_) => Check::Bad(format!(
            "{SIGNATURE_FILE} does not match manifest.json: manifest.json was changed after it was signed, or the signature is of another file"
        )),
    }
}

#[cfg(test)]
mod tests;
