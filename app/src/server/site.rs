//! The built site's file names, as cargo-leptos made them.
//!
//! A release build (`make build`) names the stylesheet, the JavaScript glue
//! and the WebAssembly by a hash of their content (`fengqiao.<hash>.css`)
//! and writes the hashes to `hash.txt` beside the server binary: a browser
//! may then keep each file for a year, and a new build is new names. A
//! build without hashes (tests, `cargo run`) keeps the plain names.
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The site's stylesheet, JavaScript and WebAssembly, as paths under `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltFiles {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// Whether the names carry content hashes (so may be kept for a year).
    pub hashed: bool,
}

impl BuiltFiles {
    /// The names given the content of a `hash.txt` (`css: <hash>` a line;
    /// `None` without one), for the site's output name and `pkg` dir.
    pub fn named(output: &str, pkg: &str, hashes: Option<&str>) -> BuiltFiles {
        let hash_of = |kind: &str| {
            hashes?.lines().find_map(|line| {
                let (file, hash) = line.trim().split_once(':')?;
                let hash = hash.trim();
                (file.trim() == kind && !hash.is_empty()).then(|| format!(".{hash}"))
            })
        };
        let path = |kind: &str| {
            format!(
                "/{pkg}/{output}{}.{kind}",
                hash_of(kind).unwrap_or_default()
            )
        };
        let (css, js, wasm) = (path("css"), path("js"), path("wasm"));
        let hashed = hashes.is_some() && ["css", "js", "wasm"].iter().all(|k| hash_of(k).is_some());
        BuiltFiles {
            css,
            js,
            wasm,
            hashed,
        }
    }

    /// Whether `path` is one of this build's files named by content (so
    /// may be kept for a year).
    pub fn is_content_named(&self, path: &str) -> bool {
        self.hashed && [&self.css, &self.js, &self.wasm].iter().any(|f| *f == path)
    }

    /// This process's build: read once. Hashes are looked for only when the
    /// options say files are hashed.
    pub fn of(options: &LeptosOptions) -> &'static BuiltFiles {
        static BUILT: OnceLock<BuiltFiles> = OnceLock::new();
        BUILT.get_or_init(|| {
            let hashes = options
                .hash_files
                .then(|| hash_file(&options.hash_file))
                .flatten()
                .and_then(|path| match std::fs::read_to_string(&path) {
                    Ok(text) => Some(text),
                    Err(e) => {
                        tracing::error!(path = %path.display(), error = %e,
                            "the build's hash file cannot be read: plain file names are used");
                        None
                    }
                });
            BuiltFiles::named(
                &options.output_name,
                &options.site_pkg_dir,
                hashes.as_deref(),
            )
        })
    }
}

/// Where cargo-leptos puts `hash.txt` (and Leptos looks for it): beside the
/// running binary. `None` when there is none there.
pub fn hash_file(name: &str) -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(name);
    path.is_file().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hashes_of_the_build() {
        let built = BuiltFiles::named("fengqiao", "pkg", Some("js: AbC\nwasm: dEf\ncss: G-h_1\n"));
        assert_eq!(built.css, "/pkg/fengqiao.G-h_1.css");
        assert_eq!(built.js, "/pkg/fengqiao.AbC.js");
        assert_eq!(built.wasm, "/pkg/fengqiao.dEf.wasm");
        assert!(built.hashed);
        assert!(built.is_content_named("/pkg/fengqiao.dEf.wasm"));
        assert!(!built.is_content_named("/pkg/fengqiao.wasm"));

        let plain = BuiltFiles::named("fengqiao", "pkg", None);
        assert_eq!(plain.css, "/pkg/fengqiao.css");
        assert_eq!(plain.wasm, "/pkg/fengqiao.wasm");
        assert!(!plain.hashed);
        assert!(!plain.is_content_named("/pkg/fengqiao.css"));

        // A hash file that lacks one is not a hashed build.
        let partial = BuiltFiles::named("fengqiao", "pkg", Some("js: AbC\n"));
        assert_eq!(partial.css, "/pkg/fengqiao.css");
        assert!(!partial.hashed);
    }
}
