//! An auditor years later (issue 19): a report built by another version of the tool, an
//! export re-saved by another program, signed reports (checked by `ssh-keygen -Y verify` and
//! by `verify --signers`), tampering, and a report checked without its export.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{fixtures, root, run, snapshot, stderr, stdout};
use sha2::Digest;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn sha256(b: &[u8]) -> String {
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The fixture export and settings in `dir`, with `extra` appended to the settings, built
/// into `dir/2025`.
fn fixture_report(dir: &Path, extra: &str) -> PathBuf {
    fs::copy(fixtures().join("cases.csv"), dir.join("cases.csv")).unwrap();
    let toml = fs::read_to_string(fixtures().join("report.toml")).unwrap();
    fs::write(dir.join("report.toml"), format!("{toml}{extra}")).unwrap();
    let out = dir.join("2025");
    let o = run(
        dir,
        &[
            "build",
            "--config",
            "report.toml",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn verify_with_export(dir: &Path, report: &Path, input: &str) -> std::process::Output {
    run(
        dir,
        &[
            "verify",
            "--report",
            report.to_str().unwrap(),
            "--input",
            input,
            "--config",
            "report.toml",
        ],
    )
}

/// Rewrites a report file and records its new hash and size in the manifest, as a report
/// built by another version (or forged) would have them: only `verify`'s rebuild (or a
/// signature) can tell.
fn rewrite_consistently(report: &Path, path: &str, edit: impl Fn(String) -> String) {
    let p = report.join(path);
    let before = fs::read(&p).unwrap();
    let after = edit(String::from_utf8(before.clone()).unwrap());
    assert_ne!(after.as_bytes(), &before[..], "the edit changes {path}");
    fs::write(&p, &after).unwrap();
    let m = report.join("manifest.json");
    let text = fs::read_to_string(&m).unwrap();
    let text = text
        .replace(&sha256(&before), &sha256(after.as_bytes()))
        .replace(
            &format!("\"bytes\": {}\n", before.len()),
            &format!("\"bytes\": {}\n", after.len()),
        );
    fs::write(&m, text).unwrap();
}

fn set_version(report: &Path, version: &str) {
    let m = report.join("manifest.json");
    let text = fs::read_to_string(&m).unwrap();
    let text = text.replacen(
        &format!("\"version\": \"{VERSION}\""),
        &format!("\"version\": \"{version}\""),
        1,
    );
    assert!(text.contains(&format!("\"version\": \"{version}\"")));
    fs::write(&m, text).unwrap();
}

// ---------------------------------------------------------------- versions

#[test]
fn the_manifest_records_the_version_and_the_lock_file_of_the_build() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["tool"]["name"], "transparency-report");
    assert_eq!(m["tool"]["version"], VERSION);
    let lock = fs::read(root().join("Cargo.lock")).unwrap();
    assert_eq!(m["tool"]["cargo_lock_sha256"], sha256(&lock).as_str());
    let changelog = fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("## [{VERSION}]")),
        "CHANGELOG.md lists the version {VERSION}"
    );
}

#[test]
fn a_report_from_another_version_says_so_first_then_compares_the_figures() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    set_version(&out, "0.0.9");
    let o = verify_with_export(d.path(), &out, "cases.csv");
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{text}{}", stderr(&o));
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        format!("this report was built by transparency-report 0.0.9; you are running {VERSION}")
    );
    let figures = snapshot(&out)
        .iter()
        .filter(|(p, _)| p.starts_with("data/") && p != "data/datapackage.json")
        .count();
    assert!(
        text.contains(&format!(
            "the figures match: all {figures} data files give the figures of a fresh build by {VERSION}"
        )),
        "{text}"
    );
    assert!(text.contains("not checked: byte for byte"), "{text}");
    assert!(
        text.contains("git checkout v0.0.9 && cargo install --locked"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("(exit code 3)") && text.contains("partly verified"),
        "{text}"
    );
}

#[test]
fn another_version_with_other_figures_names_each_figure_that_differs() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    set_version(&out, "0.0.9");
    rewrite_consistently(&out, "data/summary.json", |t| {
        t.replacen("\"website\": 3", "\"website\": 4", 1)
    });
    rewrite_consistently(&out, "data/platforms.csv", |t| {
        t.replacen("website,Websites,3", "website,Websites,4", 1)
    });
    let o = verify_with_export(d.path(), &out, "cases.csv");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "error: this report was built by transparency-report 0.0.9; you are running {VERSION}\n"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "- data/summary.json: the figures differ from a fresh build by {VERSION}:\n    by_platform.website: published 4, a fresh build gives 3"
        )),
        "{err}"
    );
    assert!(
        err.contains("- data/platforms.csv: the figures differ from a fresh build by")
            && err.contains("row website, column cases: published 4, a fresh build gives 3"),
        "{err}"
    );
    assert!(
        err.contains("install the version that built the report (transparency-report 0.0.9)"),
        "{err}"
    );
    assert!(err.contains("not verified: 2 differences found"), "{err}");
}

#[test]
fn a_manifest_this_version_cannot_read_names_the_version_to_install() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    set_version(&out, "9.0.0");
    let m = out.join("manifest.json");
    let text = fs::read_to_string(&m).unwrap();
    fs::write(
        &m,
        text.replacen("\"inputs\"", "\"future_field\": 1,\n  \"inputs\"", 1),
    )
    .unwrap();
    let o = verify_with_export(d.path(), &out, "cases.csv");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "error: this report was built by transparency-report 9.0.0; you are running {VERSION}\nthis version cannot read its manifest.json"
        )),
        "{err}"
    );
    assert!(err.contains("git checkout v9.0.0"), "{err}");
}

// ---------------------------------------------------------------- re-saved exports

fn resaved(what: &str, edit: impl Fn(&str) -> Vec<u8>, expect: &str) {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    let original = fs::read_to_string(d.path().join("cases.csv")).unwrap();
    let copy = edit(&original);
    assert_ne!(copy, original.as_bytes());
    fs::write(d.path().join("resaved.csv"), &copy).unwrap();
    // The file keeps its name, as a copy does.
    fs::create_dir(d.path().join("mail")).unwrap();
    fs::write(d.path().join("mail/cases.csv"), &copy).unwrap();
    let o = verify_with_export(d.path(), &out, "mail/cases.csv");
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{what}: {text}{}", stderr(&o));
    let n = snapshot(&out).len();
    assert!(
        text.contains(&format!(
            "cases.csv: the same 22 rows; only the bytes differ ({expect}); SHA-256 {} here, {} as published",
            &sha256(&copy)[..12],
            &sha256(original.as_bytes())[..12]
        )),
        "{what}: {text}"
    );
    assert!(
        text.trim_end()
            .ends_with(&format!("verified: {n} files match")),
        "{what}: {text}"
    );
}

#[test]
fn a_crlf_resave_of_the_export_is_the_same_export() {
    resaved(
        "CRLF",
        |t| t.replace('\n', "\r\n").into_bytes(),
        "line ends: CRLF here, LF when published",
    );
}

#[test]
fn a_bom_resave_of_the_export_is_the_same_export() {
    resaved(
        "BOM",
        |t| {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend_from_slice(t.as_bytes());
            b
        },
        "a byte-order mark added",
    );
}

#[test]
fn a_quoted_padded_upper_case_resave_is_the_same_export() {
    resaved(
        "quoted",
        |t| {
            let mut out = String::new();
            for (i, line) in t.lines().enumerate() {
                let cells: Vec<String> = line
                    .split(',')
                    .enumerate()
                    .map(|(j, c)| match (i, j) {
                        (0, _) => c.to_uppercase(),
                        // platform and action: enum values, any case, padded and quoted.
                        (_, 2 | 6) => format!("\" {} \"", c.to_uppercase()),
                        _ => format!("\"{c}\""),
                    })
                    .collect();
                out.push_str(&cells.join(","));
                out.push('\n');
            }
            out.into_bytes()
        },
        "quoting, padding, the case of values or the order of columns",
    );
}

#[test]
fn a_changed_row_is_not_a_resave() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    let p = d.path().join("cases.csv");
    let text = fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
    fs::write(
        &p,
        text.replacen(
            "C03,2025-01-11 12:00,website",
            "C03,2025-01-11 12:00,blog",
            1,
        ),
    )
    .unwrap();
    let o = verify_with_export(d.path(), &out, "cases.csv");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("the export cases.csv is not the one the report was built from")
            && err.contains(
                "its 22 rows differ from the published ones in content, not only in bytes"
            ),
        "{err}"
    );
    assert!(
        err.contains("by_platform.website: published 3, a fresh build gives 2"),
        "{err}"
    );
}

#[test]
fn a_manifest_without_a_content_digest_says_why_a_resave_is_not_recognised() {
    // Reports built before 0.2.0 record no content digest.
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), "");
    set_version(&out, "0.1.0");
    let m = out.join("manifest.json");
    let text = fs::read_to_string(&m).unwrap();
    let start = text.find(",\n      \"content\": {").unwrap();
    let end = start + text[start..].find('}').unwrap() + 1;
    fs::write(&m, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let p = d.path().join("cases.csv");
    let crlf = fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
    fs::write(&p, crlf).unwrap();
    let o = verify_with_export(d.path(), &out, "cases.csv");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "the manifest records no digest of the export's content (it was built before 0.2.0)"
        ),
        "{err}"
    );
    assert!(err.contains("the figures match: all"), "{err}");
}

// ---------------------------------------------------------------- signatures

fn ssh_keygen() -> Option<PathBuf> {
    let found = Command::new("ssh-keygen")
        .arg("-?")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("note: ssh-keygen is not installed (Debian: openssh-client); the ssh-keygen checks of this test are skipped");
    }
    found.then(|| PathBuf::from("ssh-keygen"))
}

/// An Ed25519 key made here, from a fixed seed (no key is committed): (private key file,
/// public key line).
fn test_key(dir: &Path, seed: u8) -> (PathBuf, String) {
    use ssh_key::{private::Ed25519Keypair, LineEnding, PrivateKey};
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]));
    let path = dir.join(format!("committee_key_{seed}"));
    fs::write(&path, key.to_openssh(LineEnding::LF).unwrap().as_bytes()).unwrap();
    let public = key.public_key().to_openssh().unwrap();
    (path, public)
}

const SIGNING: &str = "\n[signing]\nidentity = \"coc@example.org\"\nkey_published_at = \"https://example.org/coc/allowed_signers\"\n";

fn ssh_keygen_verify(report: &Path, allowed: &Path, identity: &str) -> std::process::Output {
    Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", identity, "-n", "transparency-report", "-s"])
        .arg(report.join("manifest.json.sig"))
        .stdin(fs::File::open(report.join("manifest.json")).unwrap())
        .output()
        .unwrap()
}

#[test]
fn a_signed_report_passes_ssh_keygen_and_verify_signers() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), SIGNING);
    let (key, public) = test_key(d.path(), 7);
    let o = run(
        d.path(),
        &[
            "sign",
            "--report",
            out.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(
        msg.contains(
            "ssh-keygen -Y verify -f allowed_signers -I coc@example.org -n transparency-report -s"
        ),
        "{msg}"
    );
    assert!(
        msg.contains(&format!(
            "publish this line (https://example.org/coc/allowed_signers): coc@example.org {}",
            public.trim()
        )),
        "{msg}"
    );
    let sig = fs::read_to_string(out.join("manifest.json.sig")).unwrap();
    assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----\n"), "{sig}");
    let allowed = d.path().join("allowed_signers");
    fs::write(&allowed, format!("coc@example.org {public}\n")).unwrap();

    // The methodology says who signs and how to check; no key is in the report.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("The report is signed: coc@example.org signs <code>manifest.json</code>"),
        "methodology"
    );
    assert!(html.contains("ssh-keygen -Y verify -f allowed_signers -I coc@example.org -n transparency-report -s manifest.json.sig &lt; manifest.json"));
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains(
            r"The signer’s public key is published at https://example.org/coc/allowed\_signers."
        ),
        "{md}"
    );
    assert!(md.contains("ssh-keygen -Y verify -f allowed_signers -I coc@example.org -n transparency-report -s manifest.json.sig < manifest.json"), "{md}");
    let key_b64 = public.split_whitespace().nth(1).unwrap();
    for (name, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(key_b64), "{name} holds the public key");
        assert!(!text.contains("PRIVATE KEY"), "{name} holds a private key");
    }
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"identity\": \"coc@example.org\""),
        "{manifest}"
    );

    if ssh_keygen().is_some() {
        let o = ssh_keygen_verify(&out, &allowed, "coc@example.org");
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).contains("Good \"transparency-report\" signature for coc@example.org"),
            "{}",
            stdout(&o)
        );
    }
    // Our own check, with the export (everything) and without (hashes and signature).
    let o = run(
        d.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--input",
            "cases.csv",
            "--config",
            "report.toml",
            "--signers",
            "allowed_signers",
        ],
    );
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(
        text.contains("the signature is good: manifest.json was signed by coc@example.org with the key SHA256:"),
        "{text}"
    );
    let n = snapshot(&out).len() - 1; // the signature is not a file of the report
    assert!(
        text.ends_with(&format!("verified: {n} files match\n")),
        "{text}"
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let o = run(
        elsewhere.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--signers",
            allowed.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("the signature is good"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn ssh_keygen_signs_the_same_file() {
    // A committee whose key has a passphrase signs with ssh-keygen; our verify checks it.
    let Some(keygen) = ssh_keygen() else { return };
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), SIGNING);
    let key = d.path().join("k");
    let made = Command::new(&keygen)
        .args(["-q", "-t", "ed25519", "-N", "a passphrase", "-C", "", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(made.success());
    // Our sign refuses the encrypted key and names the ssh-keygen command instead.
    let o = run(
        d.path(),
        &[
            "sign",
            "--report",
            out.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("is protected by a passphrase"), "{err}");
    assert!(
        err.contains(&format!(
            "ssh-keygen -Y sign -f {} -n transparency-report {}",
            key.display(),
            out.join("manifest.json").display()
        )),
        "{err}"
    );
    // An unencrypted key through ssh-keygen -Y sign: the file our verify reads.
    let plain = d.path().join("plain");
    assert!(Command::new(&keygen)
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "", "-f"])
        .arg(&plain)
        .status()
        .unwrap()
        .success());
    let signed = Command::new(&keygen)
        .args(["-Y", "sign", "-f"])
        .arg(&plain)
        .args(["-n", "transparency-report"])
        .arg(out.join("manifest.json"))
        .output()
        .unwrap();
    assert!(signed.status.success(), "{}", stderr(&signed));
    let public = fs::read_to_string(d.path().join("plain.pub")).unwrap();
    fs::write(
        d.path().join("allowed"),
        format!("coc@example.org {public}"),
    )
    .unwrap();
    let o = run(
        d.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--input",
            "cases.csv",
            "--config",
            "report.toml",
            "--signers",
            "allowed",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("the signature is good"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_tampered_signed_report_fails_the_signature_check() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), SIGNING);
    let (key, public) = test_key(d.path(), 9);
    let o = run(
        d.path(),
        &[
            "sign",
            "--report",
            out.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let allowed = d.path().join("allowed_signers");
    fs::write(&allowed, format!("coc@example.org {public}\n")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let check = || {
        run(
            elsewhere.path(),
            &[
                "verify",
                "--report",
                out.to_str().unwrap(),
                "--signers",
                allowed.to_str().unwrap(),
            ],
        )
    };
    assert_eq!(check().status.code(), Some(3), "signed and untouched");
    // One byte more in the manifest (still valid JSON, every hash still right).
    let m = out.join("manifest.json");
    let signed = fs::read_to_string(&m).unwrap();
    fs::write(
        &m,
        signed.replacen("\n  \"schema_version\"", "\n   \"schema_version\"", 1),
    )
    .unwrap();
    if ssh_keygen().is_some() {
        let o = ssh_keygen_verify(&out, &allowed, "coc@example.org");
        assert!(
            !o.status.success(),
            "ssh-keygen rejects the changed manifest"
        );
    }
    let o = check();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("- manifest.json.sig does not match manifest.json: manifest.json was changed after it was signed, or the signature is of another file\n"),
        "{err}"
    );
    assert!(err.contains("not verified: 1 difference found"), "{err}");
    // A forger changes a figure and records its new hash in the manifest, so that the
    // manifest agrees with the files: the signature tells, and so do the sums.
    fs::write(&m, &signed).unwrap();
    rewrite_consistently(&out, "data/summary.json", |t| {
        t.replacen("\"website\": 3", "\"website\": 4", 1)
    });
    if ssh_keygen().is_some() {
        let o = ssh_keygen_verify(&out, &allowed, "coc@example.org");
        assert!(
            !o.status.success(),
            "ssh-keygen rejects the forged manifest"
        );
    }
    let o = check();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("- manifest.json.sig does not match manifest.json"),
        "{err}"
    );
    assert!(
        err.contains("- data/platforms.csv does not give the figures of data/summary.json: website: 3 in the table, 4 in data/summary.json"),
        "{err}"
    );
    assert!(err.contains("not verified: 3 differences found"), "{err}");
    // The signature of another committee's key.
    let (_, stranger) = test_key(d.path(), 10);
    fs::write(&allowed, format!("coc@example.org {stranger}\n")).unwrap();
    let o = run(
        elsewhere.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--signers",
            allowed.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("which ") && stderr(&o).contains("does not list for coc@example.org"),
        "{}",
        stderr(&o)
    );
    // An unsigned copy.
    fs::remove_file(out.join("manifest.json.sig")).unwrap();
    let o = run(
        elsewhere.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--signers",
            allowed.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("manifest.json.sig is missing from the report folder: the report is not signed, though the report says coc@example.org signs it"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sign_refuses_a_folder_changed_after_the_build() {
    let d = tempfile::tempdir().unwrap();
    let out = fixture_report(d.path(), SIGNING);
    let (key, _) = test_key(d.path(), 11);
    fs::write(out.join("charts/levels.svg"), "<svg/>").unwrap();
    let o = run(
        d.path(),
        &[
            "sign",
            "--report",
            out.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("refusing to sign")
            && stderr(&o).contains("charts/levels.svg was changed after the build"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("manifest.json.sig").exists());
}

// ---------------------------------------------------------------- without the export

/// The committed sample report (with withheld cells) in a folder of its own.
fn sample_copy(dir: &Path) -> PathBuf {
    let out = dir.join("2025");
    for (rel, bytes) in snapshot(&root().join("output/2025")) {
        let p = out.join(&rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    out
}

#[test]
fn a_report_checked_without_its_export_says_what_it_could_not_check() {
    let d = tempfile::tempdir().unwrap();
    let out = sample_copy(d.path());
    let listed = snapshot(&out).len() - 1;
    let o = run(d.path(), &["verify", "--report", "2025"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{text}{}", stderr(&o));
    assert!(
        text.contains(&format!(
            "{listed} of the {listed} files that manifest.json lists match their SHA-256"
        )),
        "{text}"
    );
    assert!(
        text.contains("the published figures are consistent:")
            && text.contains("sums and tables agree with data/summary.json"),
        "{text}"
    );
    assert!(
        text.contains("not checked: the figures against the export, which was not given: run verify with --input cases.csv"),
        "{text}"
    );
    // The disclosure audit runs as a reader without the export can run it; the full audit
    // is left to a check with the export.
    assert!(
        text.contains(
            "the withheld cells stay protected as a reader without the export sees them: the LP disclosure audit over the 118 published figures and the 36 relations that hold by construction"
        ) && text.contains("pins none of the 6 withheld cells"),
        "{text}"
    );
    assert!(
        text.contains("not checked: the full disclosure audit, which also uses the relations that hold only in this period's data (a group as the sum of its sections when no case cites two): verify runs it when given the export"),
        "{text}"
    );
    assert!(text.contains("partly verified"), "{text}");
}

#[test]
fn without_the_export_a_table_that_does_not_add_up_is_found() {
    let d = tempfile::tempdir().unwrap();
    let out = sample_copy(d.path());
    // Hashes recorded anew, so only the internal checks can tell.
    rewrite_consistently(&out, "data/platforms.csv", |t| {
        t.replacen("website,Websites,40", "website,Websites,41", 1)
    });
    rewrite_consistently(&out, "data/summary.json", |t| {
        t.replacen("\"resolved\": 281", "\"resolved\": 280", 1)
    });
    let o = run(d.path(), &["verify", "--report", "2025"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("- data/platforms.csv does not give the figures of data/summary.json: website: 41 in the table, 40 in data/summary.json"),
        "{err}"
    );
    assert!(
        err.contains("- data/summary.json: cases.resolved + cases.open_at_period_end add up to 299, but cases.total is 300"),
        "{err}"
    );
    assert!(
        err.contains(
            "- data/summary.json: monthly[].resolved add up to 281, but cases.resolved is 280"
        ),
        "{err}"
    );
    // A file changed without its hash: named as such.
    let p = out.join("charts/levels.svg");
    fs::write(&p, "<svg/>").unwrap();
    let o = run(d.path(), &["verify", "--report", "2025"]);
    assert!(
        stderr(&o).contains("- charts/levels.svg was changed after it was published"),
        "{}",
        stderr(&o)
    );
}

/// The sample report built afresh by the CLI in `dir` (`dir/2025`), as a committee would.
fn sample_built(dir: &Path) -> PathBuf {
    let data = root().join("sample_data");
    let out = dir.join("2025");
    let o = run(
        dir,
        &[
            "build",
            "--input",
            data.join("cases.csv").to_str().unwrap(),
            "--config",
            data.join("report.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn without_the_export_the_withheld_cells_are_audited_as_a_reader_sees_them() {
    let d = tempfile::tempdir().unwrap();
    let out = sample_built(d.path());
    let o = run(d.path(), &["verify", "--report", "2025"]);
    let text = stdout(&o);
    // Exit 3: nothing checked differs, but the export was not given.
    assert_eq!(o.status.code(), Some(3), "{text}{}", stderr(&o));
    assert_eq!(stderr(&o), "", "no problem is found");
    assert!(
        text.contains("the withheld cells stay protected as a reader without the export sees them: the LP disclosure audit over the 118 published figures and the 36 relations that hold by construction (each table adds up to its total, the suspensions restate their actions, the rates to their printed precision) pins none of the 6 withheld cells"),
        "{text}"
    );
    assert!(
        text.contains("not checked: the full disclosure audit"),
        "{text}"
    );
    assert!(
        text.contains("partly verified: no difference found in what was checked; 2 things not checked (exit code 3)"),
        "{text}"
    );
    assert!(!text.contains("does not have yet"), "{text}");
    // The sample withholds the two longest bins of the histogram: "90+" is small (< 3),
    // "30-90" protects it. Their sum is known (the decisions timed minus the other bins), so
    // a published "30-90" gives "90+" away.
    let summary = fs::read_to_string(out.join("data/summary.json")).unwrap();
    assert!(
        summary.contains("\"30-90\": null,\n      \"90+\": null"),
        "{summary}"
    );
}

/// Publishes a cell the sample withheld, with its true value, in `summary.json` and in its
/// data table, and records every changed file's hash anew (the table's in the data package,
/// every file's in the manifest): only the arithmetic can tell.
fn reveal(report: &Path, json: (&str, &str), table: (&str, &str, &str)) {
    rewrite_consistently(report, "data/summary.json", |t| {
        t.replacen(json.0, json.1, 1)
    });
    let path = format!("data/{}", table.0);
    let before = sha256(&fs::read(report.join(&path)).unwrap());
    rewrite_consistently(report, &path, |t| t.replacen(table.1, table.2, 1));
    let after = sha256(&fs::read(report.join(&path)).unwrap());
    rewrite_consistently(report, "data/datapackage.json", |t| {
        t.replace(&before, &after)
    });
}

#[test]
fn without_the_export_a_withheld_cell_revealed_through_arithmetic_is_named() {
    let d = tempfile::tempdir().unwrap();
    let out = sample_built(d.path());
    // "30-90" (suppressed, to protect "90+") shown with its true value, 29: the histogram
    // adds up to the 283 decisions timed, so "90+" = 283 − 68 − 123 − 61 − 29 = 2.
    reveal(
        &out,
        ("\"30-90\": null", "\"30-90\": 29"),
        (
            "resolution.csv",
            "30-90,30 to under 90 days,\n",
            "30-90,30 to under 90 days,29\n",
        ),
    );
    let o = run(d.path(), &["verify", "--report", "2025"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}{err}", stdout(&o));
    let problems: Vec<&str> = err.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(
        problems,
        ["- the published figures give away a withheld cell: resolution_days.histogram.90+ can be worked out (= 2)"],
        "{err}"
    );
    assert!(err.contains("not verified: 1 difference found"), "{err}");

    // The appeals: 11 filed, 8 upheld, none overturned or pending; "modified" and
    // "withdrawn" are both "< 3", so 1 + 2 or 2 + 1. Showing "modified" (1) pins "withdrawn".
    let d = tempfile::tempdir().unwrap();
    let out = sample_built(d.path());
    reveal(
        &out,
        ("\"modified\": null", "\"modified\": 1"),
        (
            "appeals.csv",
            "modified,Decision modified,\n",
            "modified,Decision modified,1\n",
        ),
    );
    let o = run(d.path(), &["verify", "--report", "2025"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}{err}", stdout(&o));
    assert!(
        err.contains("- the published figures give away a withheld cell: appeals.by_outcome.withdrawn can be worked out (= 2)"),
        "{err}"
    );
    // A small count published is named as well.
    assert!(
        err.contains("- data/disclosure.json says 5 small counts were withheld (shown as \"< 3\"), but the data files withhold 4 counts that it does not list as withheld to protect others"),
        "{err}"
    );
}
