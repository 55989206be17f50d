use super::*;

fn with(current: Option<&str>, previous: Option<&str>) -> Encryption {
    Encryption::new(
        current.map(SecretString::from),
        previous.map(SecretString::from),
    )
}

const PLAIN: &[u8] = br#"{"format_version":2,"lineage":"l","serial":3}"#;

fn origin() -> &'static Path {
    Path::new("s.json")
}

fn envelope(stored: &[u8]) -> serde_json::Value {
    serde_json::from_slice(stored).unwrap()
}

#[test]
fn a_document_round_trips_and_is_recognisably_encrypted() {
    let a = with(Some("correct horse"), None);
    let stored = a.encrypt(PLAIN.to_vec()).unwrap();
    assert!(is_encrypted(&stored));
    assert!(!is_encrypted(PLAIN));
    let text = String::from_utf8(stored.clone()).unwrap();
    assert!(
        text.starts_with(r#"{"pingform_encrypted":1,"cipher":"AES-256-GCM""#),
        "{text}"
    );
    assert!(!text.contains("lineage") && !text.contains("correct horse"));
    assert_eq!(&*a.decrypt(origin(), &stored).unwrap(), PLAIN);
    // A fresh reader (another run) derives the key from the envelope's salt.
    let again = with(Some("correct horse"), None);
    assert_eq!(&*again.decrypt(origin(), &stored).unwrap(), PLAIN);
}

#[test]
fn without_a_passphrase_documents_stay_plain_and_encrypted_ones_are_refused_clearly() {
    let none = Encryption::none();
    assert!(!none.encrypts());
    assert_eq!(none.encrypt(PLAIN.to_vec()).unwrap(), PLAIN);
    assert!(matches!(
        none.decrypt(origin(), PLAIN).unwrap(),
        Cow::Borrowed(_)
    ));
    let stored = with(Some("a"), None).encrypt(PLAIN.to_vec()).unwrap();
    let err = none.decrypt(origin(), &stored).unwrap_err();
    assert!(matches!(err, Error::PassphraseMissing { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("s.json")
            && message.contains("is encrypted; set PINGFORM_STATE_PASSPHRASE"),
        "{message}"
    );
}

#[test]
fn a_wrong_passphrase_is_named_as_such_not_as_damage() {
    let stored = with(Some("a"), None).encrypt(PLAIN.to_vec()).unwrap();
    let err = with(Some("b"), None)
        .decrypt(origin(), &stored)
        .unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase { .. }), "{err}");
    assert!(err.to_string().contains("wrong passphrase"), "{err}");
    assert!(err.hint().unwrap().contains(PREVIOUS_PASSPHRASE_ENV));
}

#[test]
fn a_changed_ciphertext_or_nonce_is_an_error_never_accepted() {
    let stored = with(Some("a"), None).encrypt(PLAIN.to_vec()).unwrap();
    for field in ["ciphertext", "nonce"] {
        let mut doc = envelope(&stored);
        let mut bytes = BASE64.decode(doc[field].as_str().unwrap()).unwrap();
        bytes[0] ^= 1;
        doc[field] = BASE64.encode(&bytes).into();
        let tampered = serde_json::to_vec(&doc).unwrap();
        let err = with(Some("a"), None)
            .decrypt(origin(), &tampered)
            .unwrap_err();
        assert!(matches!(err, Error::Tampered { .. }), "{field}: {err}");
        assert!(err.to_string().contains("fails authentication"), "{err}");
    }
    let mut doc = envelope(&stored);
    doc["ciphertext"] = "!!".into();
    let err = with(Some("a"), None)
        .decrypt(origin(), &serde_json::to_vec(&doc).unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::Envelope { .. }), "{err}");
}

#[test]
fn rotation_reads_with_the_previous_passphrase_and_writes_with_the_current() {
    let old = with(Some("A"), None).encrypt(PLAIN.to_vec()).unwrap();
    let rotating = with(Some("B"), Some("A"));
    assert_eq!(&*rotating.decrypt(origin(), &old).unwrap(), PLAIN);
    let new = rotating.encrypt(PLAIN.to_vec()).unwrap();
    assert_eq!(
        &*with(Some("B"), None).decrypt(origin(), &new).unwrap(),
        PLAIN
    );
    let err = with(Some("A"), None).decrypt(origin(), &new).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase { .. }), "{err}");
    // Only the previous one set: read, and write in the clear (turning encryption off).
    let leaving = with(None, Some("B"));
    assert_eq!(&*leaving.decrypt(origin(), &new).unwrap(), PLAIN);
    assert_eq!(leaving.encrypt(PLAIN.to_vec()).unwrap(), PLAIN);
}

#[test]
fn one_run_derives_one_key_and_uses_a_fresh_nonce_per_document() {
    let a = with(Some("a"), None);
    let (first, second) = (
        envelope(&a.encrypt(PLAIN.to_vec()).unwrap()),
        envelope(&a.encrypt(PLAIN.to_vec()).unwrap()),
    );
    assert_eq!(first["kdf"], second["kdf"]);
    assert_ne!(first["nonce"], second["nonce"]);
    let other_run = envelope(&with(Some("a"), None).encrypt(PLAIN.to_vec()).unwrap());
    assert_ne!(
        first["kdf"]["salt"], other_run["kdf"]["salt"],
        "a new salt per run"
    );
}

#[test]
fn newer_envelopes_and_excessive_costs_are_refused_before_deriving() {
    let stored = with(Some("a"), None).encrypt(PLAIN.to_vec()).unwrap();
    let mut doc = envelope(&stored);
    doc["pingform_encrypted"] = 2.into();
    let err = with(Some("a"), None)
        .decrypt(origin(), &serde_json::to_vec(&doc).unwrap())
        .unwrap_err();
    assert!(err.to_string().contains("upgrade pingform"), "{err}");
    let mut doc = envelope(&stored);
    doc["kdf"]["m_cost"] = (u32::MAX).into();
    let err = with(Some("a"), None)
        .decrypt(origin(), &serde_json::to_vec(&doc).unwrap())
        .unwrap_err();
    assert!(err.to_string().contains("exceed"), "{err}");
}

#[test]
fn passphrases_never_appear_in_debug_output() {
    let e = with(Some("hunter2-secret"), Some("older-secret"));
    let debug = format!("{e:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("older"),
        "{debug}"
    );
    assert!(debug.contains("set"), "{debug}");
}
