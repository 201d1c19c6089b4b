//! Earlier cases with the same party or at the same place (重复纠纷), found
//! by the keys of [`domain::repeat`] without keeping those keys readable.
//!
//! Each key (an ID or phone number, a name at an address, an address, a map
//! cell) is stored only as a keyed hash (HMAC-SHA-256, cut to 128 bits) in
//! `case_match_keys`, indexed by that hash: finding the earlier cases of a
//! number is one index lookup per key, never a scan, and a stolen database
//! does not give the numbers back, because the secret lives outside it (a
//! file the operator keeps apart from the backups). Every instance of one
//! installation must use the same secret; [`check_secret`] refuses to start
//! one that does not.
use crate::cases::Case;
use crate::{Db, StoreError};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use domain::geo::GeoPoint;
use domain::party::PartyRole;
use domain::repeat::{same_place, MatchKey, MatchKind, Sought};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::AnyConnection;
use std::path::Path;
use std::sync::Arc;

/// At most this many earlier cases are listed; more are said to exist.
pub const EARLIER_MAX: usize = 20;

/// The settings row that remembers which secret the installation's keys
/// were made with.
const CHECK_SETTING: &str = "match_key_check";

/// The secret the match keys are hashed with. Never printed.
#[derive(Clone)]
pub struct MatchSecret(Arc<[u8; 32]>);

impl std::fmt::Debug for MatchSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatchSecret(..)")
    }
}

impl MatchSecret {
    /// A fresh random secret.
    pub fn random() -> MatchSecret {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        MatchSecret(Arc::new(bytes))
    }

    /// A secret as its file holds it: 32 bytes in base64.
    pub fn parse(text: &str) -> Result<MatchSecret, StoreError> {
        let bytes = STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| StoreError::Config("the match key is not 32 bytes in base64".into()))?;
        Ok(MatchSecret(Arc::new(bytes)))
    }

    /// The secret in the file at `path`; when there is none, a new one,
    /// written there readable by its owner only.
    pub fn load_or_create(path: &Path) -> Result<MatchSecret, StoreError> {
        let unreadable =
            |e: std::io::Error| StoreError::Config(format!("match key {}: {e}", path.display()));
        match std::fs::read_to_string(path) {
            Ok(text) => return MatchSecret::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(unreadable(e)),
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(unreadable)?;
        }
        let secret = MatchSecret::random();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                use std::io::Write;
                writeln!(file, "{}", STANDARD.encode(*secret.0))
                    .and_then(|()| file.sync_all())
                    .map_err(unreadable)?;
                tracing::info!(path = %path.display(), "a new match key was written");
                Ok(secret)
            }
            // Another process made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                MatchSecret::parse(&std::fs::read_to_string(path).map_err(unreadable)?)
            }
            Err(e) => Err(unreadable(e)),
        }
    }

    /// The keyed hash of `parts` (each followed by a separator).
    pub(crate) fn mac_bytes(&self, parts: &[&[u8]]) -> [u8; 32] {
        // HMAC takes a key of any length: this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0[..]) else {
            return [0; 32];
        };
        for part in parts {
            mac.update(part);
            mac.update(&[0x1f]);
        }
        mac.finalize().into_bytes().into()
    }

    /// The stored form of `parts`: the first half of their keyed hash.
    pub(crate) fn digest_of(&self, parts: &[&[u8]]) -> String {
        URL_SAFE_NO_PAD.encode(&self.mac_bytes(parts)[..16])
    }

    fn mac(&self, parts: &[&[u8]]) -> String {
        self.digest_of(parts)
    }

    /// The stored form of a key.
    pub(crate) fn digest(&self, key: &MatchKey) -> String {
        self.mac(&[key.kind.as_str().as_bytes(), key.text().as_bytes()])
    }

    /// What the installation remembers of its secret (not the secret).
    fn fingerprint(&self) -> String {
        self.mac(&[b"fengqiao match key check"])
    }
}

/// Remember the secret's fingerprint on first use, and refuse a different
/// secret afterwards: keys made with another secret would never match.
pub async fn check_secret(db: &Db) -> Result<(), StoreError> {
    let mine = db.match_secret().fingerprint();
    sqlx::query("insert into settings (key, value) values ($1, $2) on conflict (key) do nothing")
        .bind(CHECK_SETTING)
        .bind(&mine)
        .execute(db.pool())
        .await?;
    let kept: String = sqlx::query_scalar("select value from settings where key = $1")
        .bind(CHECK_SETTING)
        .fetch_one(db.pool())
        .await?;
    if kept != mine {
        return Err(StoreError::Config(
            "the match key is not the one this database's cases were indexed with: \
             give every instance the same key file (FENGQIAO_MATCH_KEY_FILE)"
                .into(),
        ));
    }
    Ok(())
}

/// Write a case's keys inside the caller's transaction (the caller marks
/// the case keyed).
pub(crate) async fn write_keys_in(
    conn: &mut AnyConnection,
    secret: &MatchSecret,
    case_id: i64,
    keys: &[MatchKey],
) -> Result<(), StoreError> {
    if !keys.is_empty() {
        let sql = format!(
            "insert into case_match_keys (digest, case_id, kind) values {} \
             on conflict (digest, case_id) do nothing",
            crate::sql::value_rows(conn, keys.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for key in keys {
            q = q
                .bind(secret.digest(key))
                .bind(case_id)
                .bind(key.kind.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// What an earlier case shares with the one looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shared {
    /// The party of the case looked for whose key matched (`None`: the
    /// case's address or place).
    pub party: Option<PartyRole>,
    pub kind: MatchKind,
}

/// An earlier case, and what it shares. Callers show it only to someone who
/// may see `case.area_path`.
#[derive(Clone, Debug, PartialEq)]
pub struct Earlier {
    pub case: Case,
    pub shares: Vec<Shared>,
}

/// The earlier cases found, newest first, at most [`EARLIER_MAX`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    pub cases: Vec<Earlier>,
    /// There are more than those listed.
    pub more: bool,
}

/// The cases holding any of `sought` (with ids below `before`, when given),
/// with what each shares, and whether some key had more than
/// [`EARLIER_MAX`]. Place keys here are only candidates (see [`near`]).
async fn hits(
    db: &Db,
    sought: &[Sought],
    before: Option<i64>,
) -> Result<(std::collections::BTreeMap<i64, Vec<Shared>>, bool), StoreError> {
    let mut per_case: std::collections::BTreeMap<i64, Vec<Shared>> = Default::default();
    if sought.is_empty() {
        return Ok((per_case, false));
    }
    let secret = db.match_secret();
    let below = before.unwrap_or(i64::MAX);
    // One statement: per key, the newest few cases holding it (an index
    // range each), one more than listed to tell whether there are more.
    let per_key = i64::try_from(EARLIER_MAX + 1).unwrap_or(i64::MAX);
    let sql = (0..sought.len())
        .map(|i| {
            format!(
                "select * from (select case_id, {i} as k from case_match_keys \
                 where digest = ${} and case_id < $1 order by case_id desc limit $2) as m{i}",
                i + 3
            )
        })
        .collect::<Vec<_>>()
        .join(" union all ");
    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql)
        .bind(below)
        .bind(per_key);
    for s in sought {
        q = q.bind(secret.digest(&s.key));
    }
    let hits = q.fetch_all(db.pool()).await?;
    let mut more = false;
    for (i, s) in sought.iter().enumerate() {
        let of_key: Vec<i64> = hits
            .iter()
            .filter(|(_, k)| usize::try_from(*k).ok() == Some(i))
            .map(|(id, _)| *id)
            .collect();
        more |= of_key.len() > EARLIER_MAX;
        for id in of_key.into_iter().take(EARLIER_MAX) {
            let shares = per_case.entry(id).or_default();
            let shared = Shared {
                party: s.party,
                kind: s.key.kind,
            };
            if !shares.contains(&shared) {
                shares.push(shared);
            }
        }
    }
    Ok((per_case, more))
}

/// Whether `case` is the same place as `point`: a neighbouring map cell is
/// only a candidate, the same place means within reach of the point.
fn near(point: Option<GeoPoint>, case: &Case) -> bool {
    match (point, point_of(case)) {
        (Some(p), Some(q)) => same_place(p, q),
        _ => false,
    }
}

/// How many earlier cases [`earlier`] would list (at most [`EARLIER_MAX`]),
/// reading only the match keys, and the points of cases found by place
/// alone: intake's risk factor, on its hot path.
pub async fn count_earlier(
    db: &Db,
    sought: &[Sought],
    point: Option<GeoPoint>,
) -> Result<usize, StoreError> {
    let (mut per_case, _) = hits(db, sought, None).await?;
    let by_place_only: Vec<i64> = per_case
        .iter()
        .filter(|(_, shares)| shares.iter().all(|s| s.kind == MatchKind::Place))
        .map(|(id, _)| *id)
        .collect();
    if !by_place_only.is_empty() {
        for case in crate::cases::many(db, &by_place_only).await? {
            if !near(point, &case) {
                per_case.remove(&case.id);
            }
        }
    }
    Ok(per_case.len().min(EARLIER_MAX))
}

/// The cases sharing any of `sought` (with ids below `before`, when given:
/// the cases earlier than a stored one), newest first. Place keys hold only
/// for cases within [`domain::repeat::NEAR_M`] of `point`.
pub async fn earlier(
    db: &Db,
    sought: &[Sought],
    before: Option<i64>,
    point: Option<GeoPoint>,
) -> Result<Found, StoreError> {
    let (mut per_case, mut more) = hits(db, sought, before).await?;
    let ids: Vec<i64> = per_case.keys().rev().copied().collect();
    if ids.is_empty() {
        return Ok(Found::default());
    }
    let cases = crate::cases::many(db, &ids).await?;
    let mut found: Vec<Earlier> = cases
        .into_iter()
        .filter_map(|case| {
            let mut shares = per_case.remove(&case.id)?;
            let near = near(point, &case);
            shares.retain(|s| s.kind != MatchKind::Place || near);
            (!shares.is_empty()).then_some(Earlier { case, shares })
        })
        .collect();
    found.sort_by_key(|e| std::cmp::Reverse(e.case.id));
    more |= found.len() > EARLIER_MAX;
    found.truncate(EARLIER_MAX);
    Ok(Found { cases: found, more })
}

/// Cases written without their keys (imported ledgers, cases from before
/// matching): key up to `batch` of them, oldest first, in one transaction;
/// how many. The sweeper calls this each round until none are left.
pub async fn backfill(db: &Db, batch: i64) -> Result<usize, StoreError> {
    let cases = crate::cases::unkeyed(db, batch).await?;
    let (Some(first), Some(last)) = (cases.first(), cases.last()) else {
        return Ok(0);
    };
    let (lo, hi) = (first.id, last.id);
    let mut parties: std::collections::HashMap<i64, Vec<crate::cases::Party>> =
        std::collections::HashMap::with_capacity(cases.len());
    for (case_id, party) in crate::cases::parties_between(db, lo, hi).await? {
        parties.entry(case_id).or_default().push(party);
    }
    let secret = db.match_secret();
    let rows: Vec<(String, i64, MatchKind)> = cases
        .iter()
        .flat_map(|case| {
            let mine = parties.get(&case.id).map_or(&[][..], Vec::as_slice);
            keys_of(case, mine)
                .into_iter()
                .map(|k| (secret.digest(&k), case.id, k.kind))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut tx = db.begin_write().await?;
    for chunk in rows.chunks(500) {
        let sql = format!(
            "insert into case_match_keys (digest, case_id, kind) values {} \
             on conflict (digest, case_id) do nothing",
            crate::sql::value_rows(&tx, chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (digest, case_id, kind) in chunk {
            q = q.bind(digest).bind(*case_id).bind(kind.as_str());
        }
        q.execute(&mut *tx).await?;
    }
    // Every unkeyed case between the first and the last is in the batch
    // (the sweeper's lease lets one instance do this; new cases come keyed).
    sqlx::query("update cases set match_keyed = 1 where id >= $1 and id <= $2 and match_keyed = 0")
        .bind(lo)
        .bind(hi)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(cases.len())
}

/// The keys a stored case is found by.
pub fn keys_of(case: &Case, parties: &[crate::cases::Party]) -> Vec<MatchKey> {
    let facts: Vec<_> = parties.iter().map(crate::cases::Party::facts).collect();
    domain::repeat::case_keys(&facts, &case.address, point_of(case))
}

/// What to look for to find the cases earlier than a stored one.
pub fn sought_for(case: &Case, parties: &[crate::cases::Party]) -> Vec<Sought> {
    let facts: Vec<_> = parties.iter().map(crate::cases::Party::facts).collect();
    domain::repeat::search_keys(&facts, &case.address, point_of(case))
}

/// A stored case's point, if it has one in range.
pub fn point_of(case: &Case) -> Option<GeoPoint> {
    case.location
        .and_then(|(lat, lon)| GeoPoint::from_degrees(lat, lon))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_secret_round_trips_through_its_file_and_is_never_printed() {
        let dir = std::env::temp_dir().join(format!("fq-match-{}", std::process::id()));
        let path = dir.join("keys").join("match.key");
        let _ = std::fs::remove_dir_all(&dir);
        let made = MatchSecret::load_or_create(&path).unwrap();
        let read = MatchSecret::load_or_create(&path).unwrap();
        assert_eq!(made.fingerprint(), read.fingerprint());
        assert_ne!(made.fingerprint(), MatchSecret::random().fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(format!("{made:?}"), "MatchSecret(..)");
        std::fs::write(&path, "not base64!").unwrap();
        assert!(matches!(
            MatchSecret::load_or_create(&path),
            Err(StoreError::Config(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A database remembers the secret its keys were made with and refuses
    /// another (an instance given the wrong key file).
    #[tokio::test]
    async fn a_database_refuses_a_second_secret() {
        let path = std::env::temp_dir().join(format!(
            "fq-match-{}-{}.db",
            std::process::id(),
            crate::sessions::new_token()
        ));
        let url = format!("sqlite://{}", path.display());
        let open = |secret: &MatchSecret| {
            let (url, secret) = (url.clone(), secret.clone());
            async move {
                let db = Db::connect(
                    &url,
                    crate::DbOptions {
                        match_secret: Some(secret),
                        ..crate::DbOptions::default()
                    },
                )
                .await
                .unwrap();
                db.migrate().await.unwrap();
                db
            }
        };
        let (first, second) = (MatchSecret::random(), MatchSecret::random());
        let db = open(&first).await;
        check_secret(&db).await.unwrap();
        check_secret(&db).await.unwrap();
        db.close().await;
        let db = open(&second).await;
        assert!(matches!(
            check_secret(&db).await,
            Err(StoreError::Config(_))
        ));
        db.close().await;
        let db = open(&first).await;
        check_secret(&db).await.unwrap();
        db.close().await;
    }

    #[test]
    fn digests_depend_on_the_secret_and_the_kind() {
        let phone = domain::party::PhoneNumber::parse("13900001234").unwrap();
        let facts = |role| domain::repeat::PartyFacts {
            role,
            name: "",
            phone: Some(&phone),
            id_number: None,
            address: "",
        };
        let keys = domain::repeat::case_keys(&[facts(PartyRole::Applicant)], "", None);
        let (a, b) = (MatchSecret::random(), MatchSecret::random());
        assert_eq!(keys.len(), 1);
        assert_eq!(a.digest(&keys[0]), a.digest(&keys[0]));
        assert_ne!(a.digest(&keys[0]), b.digest(&keys[0]));
        assert_eq!(a.digest(&keys[0]).len(), 22);
        assert!(!a.digest(&keys[0]).contains("1390000"));
    }
}
