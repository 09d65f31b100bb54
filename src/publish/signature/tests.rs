//! Signing and checking, with keys made from fixed seeds here (no key file is committed).

use super::*;
use ssh_key::private::Ed25519Keypair;

fn key_file(dir: &Path, seed: u8) -> (std::path::PathBuf, String) {
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]));
    let path = dir.join(format!("key{seed}"));
    std::fs::write(&path, key.to_openssh(LineEnding::LF).unwrap().as_bytes()).unwrap();
    (path, key.public_key().to_openssh().unwrap())
}

#[test]
fn a_signature_checks_against_its_allowed_signer_only() {
    let dir = tempfile::tempdir().unwrap();
    let (k1, pub1) = key_file(dir.path(), 1);
    let (_, pub2) = key_file(dir.path(), 2);
    let manifest = b"{\"tool\": {}}\n";
    let s = sign(manifest, &k1, Path::new("manifest.json")).unwrap();
    assert!(
        s.pem.starts_with("-----BEGIN SSH SIGNATURE-----"),
        "{}",
        s.pem
    );
    assert!(s.fingerprint.starts_with("SHA256:"));
    assert_eq!(s.public_key, pub1.trim());
    let allowed = AllowedSigners::parse(
        &format!("# committee\ncoc@example.org namespaces=\"transparency-report,git\" {pub1}\nother@example.org {pub2}\n"),
        "allowed_signers",
    );
    assert_eq!(allowed.signers.len(), 2, "{:?}", allowed.skipped);
    let good = check(
        manifest,
        s.pem.as_bytes(),
        &allowed,
        Some("coc@example.org"),
        "f",
    );
    assert_eq!(
        good,
        Check::Good {
            principals: vec!["coc@example.org".into()],
            fingerprint: s.fingerprint.clone()
        }
    );
    // Any principal, when the report names none.
    assert!(matches!(
        check(manifest, s.pem.as_bytes(), &allowed, None, "f"),
        Check::Good { .. }
    ));
    // Another identity, a changed byte, a file without the key.
    let Check::Bad(m) = check(
        manifest,
        s.pem.as_bytes(),
        &allowed,
        Some("other@example.org"),
        "f",
    ) else {
        panic!("another identity")
    };
    assert!(m.contains("but not for other@example.org"), "{m}");
    let Check::Bad(m) = check(b"{\"tool\": {} }\n", s.pem.as_bytes(), &allowed, None, "f") else {
        panic!("a changed byte")
    };
    assert!(m.contains("does not match manifest.json"), "{m}");
    let only2 = AllowedSigners::parse(&format!("coc@example.org {pub2}\n"), "f");
    let Check::Bad(m) = check(manifest, s.pem.as_bytes(), &only2, None, "f") else {
        panic!("unlisted key")
    };
    assert!(m.contains("which f does not list"), "{m}");
    // A namespace the key may not sign for.
    let git_only =
        AllowedSigners::parse(&format!("coc@example.org namespaces=\"git\" {pub1}\n"), "f");
    assert!(matches!(
        check(
            manifest,
            s.pem.as_bytes(),
            &git_only,
            Some("coc@example.org"),
            "f"
        ),
        Check::Bad(_)
    ));
    let Check::Bad(m) = check(manifest, b"not a signature", &allowed, None, "f") else {
        panic!("garbage")
    };
    assert!(m.contains("is not an SSH signature"), "{m}");
}

#[test]
fn allowed_signers_lines_and_patterns() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pub1) = key_file(dir.path(), 3);
    let text = format!(
        "\"a@x.org,*@y.org\" valid-after=\"20200101\",valid-before=\"29991231Z\" {pub1}\nca@x.org cert-authority {pub1}\nbroken line\nz@x.org frobnicate {pub1}\n"
    );
    let a = AllowedSigners::parse(&text, "f");
    assert_eq!(a.signers.len(), 1);
    assert_eq!(a.signers[0].principals, ["a@x.org", "*@y.org"]);
    assert!(a.signers[0].valid_after.is_some() && a.signers[0].valid_before.is_some());
    assert_eq!(a.skipped.len(), 3, "{:?}", a.skipped);
    assert!(a.skipped[0].starts_with("f:2: a certificate authority"));
    assert!(matches_list(&a.signers[0].principals, "b@y.org"));
    assert!(!matches_list(&a.signers[0].principals, "b@z.org"));
    assert!(!matches_list(
        &["*".into(), "!bad@x.org".into()],
        "bad@x.org"
    ));
}

#[test]
fn an_encrypted_or_other_key_gets_the_ssh_keygen_command() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("id_rsa.pub");
    std::fs::write(&p, "ssh-ed25519 AAAA not a private key\n").unwrap();
    let e = sign(b"x", &p, Path::new("r/manifest.json")).unwrap_err();
    assert!(
        e.to_string().contains("is not an OpenSSH private key"),
        "{e}"
    );
    assert_eq!(
        ssh_keygen_sign(Path::new("k"), Path::new("r/manifest.json")),
        "ssh-keygen -Y sign -f k -n transparency-report r/manifest.json"
    );
}
