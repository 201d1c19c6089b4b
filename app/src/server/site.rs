//! The built site's file names, as cargo-leptos made them.
//!
//! A release build (`make build`) names the stylesheet, the JavaScript glue
//! and the WebAssembly by a hash of their content (`fengqiao.<hash>.css`)
//! and writes the hashes to `hash.txt` beside the server binary: a browser
//! may then keep each file for a year, and a new build is new names. A
//! build without hashes (tests, `cargo run`) keeps the plain names.
//!
//! A split build (`--split`, see `crate::routes`) adds the loader of the
//! pages' WebAssembly (`__wasm_split.<hash>.js`) and a manifest naming the
//! files each group of pages needs (`chunk_3.<hash>.wasm`, …), also named by
//! content.
use leptos::config::LeptosOptions;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The site's stylesheet, JavaScript and WebAssembly, as paths under `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltFiles {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// The pages' WebAssembly, when the build is split.
    pub split: Option<SplitFiles>,
    /// Whether the names carry content hashes (so may be kept for a year).
    pub hashed: bool,
    /// Every file above when `hashed`: looked up on each request for a file.
    content_named: HashSet<String>,
}

/// The WebAssembly split off the main file: its loader, and the files each
/// lazy function (a group of pages) needs, by the function's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitFiles {
    pub loader: String,
    pub groups: BTreeMap<String, Vec<String>>,
}

impl SplitFiles {
    /// Each group's files, by the group's name (the manifest's key is the
    /// lazy function's name, `_`, and a number hashed from where it is
    /// written).
    pub fn by_group(&self) -> BTreeMap<&str, Vec<&str>> {
        self.groups
            .iter()
            .map(|(key, files)| {
                let name = key.rsplit_once('_').map_or(key.as_str(), |(name, _)| name);
                (name, files.iter().map(String::as_str).collect())
            })
            .collect()
    }

    /// Every file named in the manifest, once each, in order.
    pub fn all(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self.groups.values().flatten().map(String::as_str).collect();
        files.sort_unstable();
        files.dedup();
        files
    }
}

impl BuiltFiles {
    /// The names given the content of a `hash.txt` (`css: <hash>` a line;
    /// `None` without one), for the site's output name and `pkg` dir, and
    /// the split manifest read from the `pkg` dir (`manifest` gets the
    /// manifest's file name and gives its text).
    pub fn named(
        output: &str,
        pkg: &str,
        hashes: Option<&str>,
        manifest: impl FnOnce(&str) -> Option<String>,
    ) -> BuiltFiles {
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
        let split = hash_of("split").and_then(|split_hash| {
            let manifest_name = format!(
                "__wasm_split_manifest{}.json",
                hash_of("manifest").unwrap_or_default()
            );
            let Some(text) = manifest(&manifest_name) else {
                tracing::error!(file = manifest_name,
                    "the build is split but its manifest is missing: its files are kept only a day");
                return None;
            };
            let stems: BTreeMap<String, Vec<String>> = match serde_json::from_str(&text) {
                Ok(stems) => stems,
                Err(e) => {
                    tracing::error!(file = manifest_name, error = %e,
                        "the split manifest cannot be read (Leptos will fail every page): a broken build");
                    return None;
                }
            };
            Some(SplitFiles {
                loader: format!("/{pkg}/__wasm_split{split_hash}.js"),
                groups: stems
                    .into_iter()
                    .map(|(key, stems)| {
                        let files = stems
                            .iter()
                            .map(|stem| format!("/{pkg}/{stem}.wasm"))
                            .collect();
                        (key, files)
                    })
                    .collect(),
            })
        });
        let (css, js, wasm) = (path("css"), path("js"), path("wasm"));
        let hashed = hashes.is_some() && ["css", "js", "wasm"].iter().all(|k| hash_of(k).is_some());
        let content_named = if hashed {
            let split_files = split
                .iter()
                .flat_map(|s| std::iter::once(s.loader.as_str()).chain(s.all()));
            [css.as_str(), js.as_str(), wasm.as_str()]
                .into_iter()
                .chain(split_files)
                .map(str::to_owned)
                .collect()
        } else {
            HashSet::new()
        };
        BuiltFiles {
            css,
            js,
            wasm,
            split,
            hashed,
            content_named,
        }
    }

    /// Whether `path` is one of this build's files named by content (so
    /// may be kept for a year).
    pub fn is_content_named(&self, path: &str) -> bool {
        self.content_named.contains(path)
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
            let pkg_dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
            BuiltFiles::named(
                &options.output_name,
                &options.site_pkg_dir,
                hashes.as_deref(),
                |name| std::fs::read_to_string(pkg_dir.join(name)).ok(),
            )
        })
    }
}

/// Keeps the page's split-off WebAssembly out of its `<head>`. Leptos would
/// name each file of the page's group there (`<link rel="preload">`); on a
/// slow link those two dozen downloads share the bandwidth with the
/// stylesheet and the glue, and the form a grid worker came for waits for
/// them: measured on the emulated slow 3G link, the intake form was usable
/// after 7.1 s with them and 1.3 s without, hydrated after about 13 s
/// either way. The split's loader fetches the files when hydration needs
/// them. Call right after `HydrationScripts`, which provides the manifest.
pub fn name_no_split_files() {
    use leptos::prelude::{provide_context, use_context, ArcStoredValue, WithValue};
    use leptos::WasmSplitManifest;
    // Like Leptos's own manifest, made once per process.
    static EMPTIED: OnceLock<WasmSplitManifest> = OnceLock::new();
    if let Some(manifest) = use_context::<WasmSplitManifest>() {
        let emptied = EMPTIED.get_or_init(|| {
            let (pkg, loader) = manifest
                .0
                .with_value(|(pkg, _, loader)| (pkg.clone(), loader.clone()));
            WasmSplitManifest(ArcStoredValue::new((pkg, Default::default(), loader)))
        });
        provide_context(emptied.clone());
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

    fn no_manifest(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn names_carry_the_hashes_of_the_build() {
        let built = BuiltFiles::named(
            "fengqiao",
            "pkg",
            Some("js: AbC\nwasm: dEf\ncss: G-h_1\n"),
            no_manifest,
        );
        assert_eq!(built.css, "/pkg/fengqiao.G-h_1.css");
        assert_eq!(built.js, "/pkg/fengqiao.AbC.js");
        assert_eq!(built.wasm, "/pkg/fengqiao.dEf.wasm");
        assert!(built.hashed);
        assert_eq!(built.split, None);

        let plain = BuiltFiles::named("fengqiao", "pkg", None, no_manifest);
        assert_eq!(plain.css, "/pkg/fengqiao.css");
        assert_eq!(plain.wasm, "/pkg/fengqiao.wasm");
        assert!(!plain.hashed);
        assert!(!plain.is_content_named("/pkg/fengqiao.css"));

        // A hash file that lacks one is not a hashed build.
        let partial = BuiltFiles::named("fengqiao", "pkg", Some("js: AbC\n"), no_manifest);
        assert_eq!(partial.css, "/pkg/fengqiao.css");
        assert!(!partial.hashed);
    }

    #[test]
    fn a_split_build_names_each_groups_files() {
        let hashes = "js: a\nwasm: b\ncss: c\nmanifest: M1\nsplit: S1\n";
        let mut asked = String::new();
        let built = BuiltFiles::named("fengqiao", "pkg", Some(hashes), |name| {
            asked = name.to_owned();
            Some(
                r#"{"field_pages_123": ["chunk_1.x", "chunk_2.y"],
                    "office_pages_123": ["chunk_2.y", "chunk_3.z"]}"#
                    .to_owned(),
            )
        });
        assert_eq!(asked, "__wasm_split_manifest.M1.json");
        let Some(split) = built.split.clone() else {
            panic!("a split build read as not split: {built:?}");
        };
        assert_eq!(split.loader, "/pkg/__wasm_split.S1.js");
        assert_eq!(
            split.by_group().get("field_pages"),
            Some(&vec!["/pkg/chunk_1.x.wasm", "/pkg/chunk_2.y.wasm"])
        );
        assert_eq!(
            split.by_group().get("office_pages"),
            Some(&vec!["/pkg/chunk_2.y.wasm", "/pkg/chunk_3.z.wasm"])
        );
        assert_eq!(
            split.all(),
            [
                "/pkg/chunk_1.x.wasm",
                "/pkg/chunk_2.y.wasm",
                "/pkg/chunk_3.z.wasm"
            ]
        );
        for file in [
            "/pkg/__wasm_split.S1.js",
            "/pkg/chunk_3.z.wasm",
            "/pkg/fengqiao.b.wasm",
        ] {
            assert!(built.is_content_named(file), "{file}");
        }
        assert!(!built.is_content_named("/pkg/chunk_4.w.wasm"));
    }

    #[test]
    fn a_missing_or_corrupt_manifest_names_no_split_files() {
        let hashes = Some("js: a\nwasm: b\ncss: c\nmanifest: M\nsplit: S\n");
        assert_eq!(
            BuiltFiles::named("f", "pkg", hashes, no_manifest).split,
            None
        );
        let corrupt = BuiltFiles::named("f", "pkg", hashes, |_| Some("{not json".to_owned()));
        assert_eq!(corrupt.split, None);
        assert!(corrupt.hashed);
    }
}
