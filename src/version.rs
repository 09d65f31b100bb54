//! What identifies this build of the tool, as the manifest records it: the crate's name and
//! version, and the SHA-256 of the `Cargo.lock` it was built with (the exact dependencies).
//! `Cargo.lock` is embedded at compile time, so a binary knows its own lock file wherever it
//! runs; `cargo install --locked` rebuilds with exactly that file.
//!
//! At the floor: it imports only `hash`.

use crate::hash::sha256_hex;

/// The crate's name, as `cargo install` knows it.
pub const NAME: &str = env!("CARGO_PKG_NAME");
/// The crate's version: every change that alters an output byte bumps it (CHANGELOG.md).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// `package.repository` of Cargo.toml, empty while it is not set.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

const CARGO_LOCK: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"));

/// SHA-256 of the `Cargo.lock` this binary was built with.
pub fn cargo_lock_sha256() -> String {
    sha256_hex(CARGO_LOCK)
}

/// How to install the version `version` of the tool, with the dependencies it was built with.
/// Releases are tagged `v<version>` in the tool's git repository (README, "Versions").
pub fn install_hint(version: &str) -> String {
    if REPOSITORY.is_empty() {
        format!(
            "in a clone of the {NAME} repository: git checkout v{version} && cargo install --locked --path ."
        )
    } else {
        format!("cargo install --locked --git {REPOSITORY} --tag v{version} {NAME}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_hash_is_of_the_lock_file() {
        let on_disk =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap_or_default();
        assert_eq!(cargo_lock_sha256(), sha256_hex(&on_disk));
        assert_eq!(cargo_lock_sha256().len(), 64);
    }

    #[test]
    fn the_install_hint_names_the_version_and_locks_it() {
        let h = install_hint("0.0.9");
        assert!(h.contains("v0.0.9"), "{h}");
        assert!(h.contains("--locked"), "{h}");
    }
}
