//! Password hashing with argon2id at OWASP's parameters (19 MiB, t=2, p=1),
//! always on a blocking thread so the async runtime keeps serving.
use crate::StoreError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

fn hasher() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash synchronously; prefer [`hash`] in async code.
pub fn hash_blocking(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Task(format!("hashing failed: {e}")))
}

fn verify_blocking(stored: &str, candidate: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the user does not
/// exist so that both cases take the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random = SaltString::generate(&mut OsRng);
        hash_blocking(random.as_str()).unwrap_or_default()
    })
}

/// How many hashes run at once: each holds 19 MiB for tens of
/// milliseconds, so a flood of sign-ins waits its turn instead of taking the
/// machine's memory (one per core, at least two, at most eight: 152 MiB).
pub fn max_concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

fn gate() -> &'static Arc<Semaphore> {
    static GATE: OnceLock<Arc<Semaphore>> = OnceLock::new();
    GATE.get_or_init(|| Arc::new(Semaphore::new(max_concurrent_hashes())))
}

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most hashes that have run at once in this process (for monitoring
/// and the test of the bound).
pub fn peak_concurrent_hashes() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Run `work` on a blocking thread once a hashing slot is free; the slot is
/// held until the work ends, even if the caller stops waiting.
async fn gated<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let permit = gate()
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let out = work();
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
        out
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))
}

pub async fn hash(password: String) -> Result<String, StoreError> {
    gated(move || hash_blocking(&password)).await?
}

/// Check `candidate` against `stored`, or against a dummy hash when there is no user.
pub async fn verify(stored: Option<String>, candidate: String) -> Result<bool, StoreError> {
    gated(move || match stored {
        Some(stored) => verify_blocking(&stored, &candidate),
        None => {
            let _ = verify_blocking(dummy_hash(), &candidate);
            false
        }
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_flood_of_sign_ins_hashes_a_few_at_a_time() {
        let stored = hash("fengqiao-demo".into()).await.unwrap_or_default();
        let attempts: Vec<_> = (0..3 * max_concurrent_hashes() + 2)
            .map(|i| {
                let stored = (i % 2 == 0).then(|| stored.clone());
                tokio::spawn(verify(stored, format!("guess-{i}")))
            })
            .collect();
        for a in attempts {
            assert_eq!(a.await.ok().and_then(Result::ok), Some(false));
        }
        assert!(peak_concurrent_hashes() >= 1);
        assert!(
            peak_concurrent_hashes() <= max_concurrent_hashes(),
            "{} at once",
            peak_concurrent_hashes()
        );
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash_blocking("fengqiao-demo").unwrap_or_default();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking(&h, "fengqiao-demo"));
        assert!(!verify_blocking(&h, "fengqiao-demO"));
        assert!(!verify_blocking("not a hash", "fengqiao-demo"));
        assert_ne!(
            h,
            hash_blocking("fengqiao-demo").unwrap_or_default(),
            "salted"
        );
    }
}
