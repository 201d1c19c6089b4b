//! Password hashing with argon2id at OWASP's parameters (19 MiB, t=2, p=1),
//! always on a blocking thread so the async runtime keeps serving.
use crate::StoreError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

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

pub async fn hash(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
}

/// Check `candidate` against `stored`, or against a dummy hash when there is no user.
pub async fn verify(stored: Option<String>, candidate: String) -> Result<bool, StoreError> {
    tokio::task::spawn_blocking(move || match stored {
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
