//! Builds the front-end assets that `src/assets.rs` embeds in the binary.
//!
//! 1. Installs `frontend/node_modules` with `npm ci` when it is missing or does
//!    not match `frontend/package-lock.json` (so `cargo run` works on a fresh
//!    machine with Rust and Node).
//! 2. Compiles `frontend/src/guildhall.scss` with the npm `sass` package into
//!    `$OUT_DIR/assets/guildhall.css`.
//! 3. Copies GOV.UK Frontend's `govuk-frontend.min.js`, alphagov's
//!    `accessible-autocomplete.min.js` and `.min.css`, our `init.js`,
//!    `logo.svg` and `favicon.svg`, and every file the CSS refers to with
//!    `url(/assets/...)`, into `$OUT_DIR/assets/`. `init.js` refers to the
//!    scripts and stylesheet it loads by URLs versioned with their hashes.
//! 4. Writes `$OUT_DIR/assets.rs`: a table of every file in `$OUT_DIR/assets`
//!    with its content type, a content hash (ETag) and its bytes.
//!
//! Only std is used. Node.js (>= 20.19) and npm must be on the PATH.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// npm packages whose installed version must match the lock file.
const LOCKED_PACKAGES: &[&str] = &["accessible-autocomplete", "govuk-frontend", "sass"];

fn main() {
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let frontend = manifest_dir.join("../../frontend");
    let frontend = frontend
        .canonicalize()
        .unwrap_or_else(|e| panic!("front-end folder {} not found: {e}", frontend.display()));

    println!("cargo:rerun-if-changed=build.rs");
    println!(
        "cargo:rerun-if-changed={}",
        frontend.join("package.json").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        frontend.join("package-lock.json").display()
    );
    println!("cargo:rerun-if-changed={}", frontend.join("src").display());

    let node_modules = frontend.join("node_modules");
    ensure_node_modules(&frontend, &node_modules);

    let govuk_dist = node_modules.join("govuk-frontend/dist/govuk");
    let assets = out_dir.join("assets");
    if assets.exists() {
        fs::remove_dir_all(&assets)
            .unwrap_or_else(|e| panic!("cannot clear {}: {e}", assets.display()));
    }
    create_dir(&assets);

    // 1. The stylesheet.
    let css_path = assets.join("guildhall.css");
    compile_sass(&frontend, &node_modules, &css_path);
    let css = fs::read_to_string(&css_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", css_path.display()));

    // 2. Scripts and images. The GOV.UK bundle ends with a sourceMappingURL
    //    comment for a map we do not serve: drop it.
    let govuk_js = strip_source_map(read_string(&govuk_dist.join("govuk-frontend.min.js")));
    write(&assets.join("govuk-frontend.min.js"), govuk_js.as_bytes());

    // accessible-autocomplete: a UMD bundle (with Preact inside) that sets the
    // global `accessibleAutocomplete` when run as a classic script, and its
    // stylesheet. init.js loads both, only on pages that have a
    // `select[data-app-autocomplete]`.
    let autocomplete_dist = node_modules.join("accessible-autocomplete/dist");
    let autocomplete_js = strip_source_map(read_string(
        &autocomplete_dist.join("accessible-autocomplete.min.js"),
    ));
    write(
        &assets.join("accessible-autocomplete.min.js"),
        autocomplete_js.as_bytes(),
    );
    let autocomplete_css = strip_source_map(read_string(
        &autocomplete_dist.join("accessible-autocomplete.min.css"),
    ));
    // Nothing it could refer to is embedded: it must refer to nothing.
    for url in css_urls(&autocomplete_css) {
        assert!(
            url.starts_with("data:"),
            "accessible-autocomplete.min.css refers to {url:?}, which is not embedded"
        );
    }
    write(
        &assets.join("accessible-autocomplete.min.css"),
        autocomplete_css.as_bytes(),
    );

    // init.js refers to the files it loads by versioned URLs, so that a new
    // file is never mixed with a cached old one.
    let mut init_js = read_string(&frontend.join("src/init.js"));
    for (name, text) in [
        ("govuk-frontend.min.js", &govuk_js),
        ("accessible-autocomplete.min.js", &autocomplete_js),
        ("accessible-autocomplete.min.css", &autocomplete_css),
    ] {
        let plain = format!("'./{name}'");
        assert!(
            init_js.contains(&plain),
            "frontend/src/init.js must refer to {plain}"
        );
        let versioned = format!("'./{name}?v={}'", short_hash(text.as_bytes()));
        init_js = init_js.replace(&plain, &versioned);
    }
    write(&assets.join("init.js"), init_js.as_bytes());

    for name in ["logo.svg", "favicon.svg"] {
        copy(&frontend.join("src").join(name), &assets.join(name));
    }

    // 3. Whatever the CSS refers to.
    for url in css_urls(&css) {
        if url.starts_with("data:") {
            continue;
        }
        let Some(rel) = url.strip_prefix("/assets/") else {
            panic!(
                "guildhall.css refers to {url:?}, which is not under /assets/ and so not embedded"
            );
        };
        let rel = rel.split(['?', '#']).next().unwrap_or(rel);
        let candidates = [
            frontend.join("src").join(rel),
            govuk_dist.join("assets").join(rel),
        ];
        let Some(source) = candidates.iter().find(|p| p.is_file()) else {
            panic!(
                "guildhall.css refers to {url:?}, but no such file is in frontend/src or govuk-frontend's assets"
            );
        };
        let target = assets.join(rel);
        if let Some(parent) = target.parent() {
            create_dir(parent);
        }
        copy(source, &target);
    }

    // 4. The table.
    let mut files = Vec::new();
    list_files(&assets, &mut files);
    files.sort();
    let mut table = String::from(
        "// @generated by guildhall-web's build.rs: every file in $OUT_DIR/assets.\n\
         static ASSETS: &[Asset] = &[\n",
    );
    for file in &files {
        let rel = file
            .strip_prefix(&assets)
            .unwrap_or(file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes =
            fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let hash = short_hash(&bytes);
        let content_type = content_type(&rel);
        let abs = file.to_string_lossy();
        // Writing to a String cannot fail.
        let _ = writeln!(
            table,
            "    Asset {{ path: {rel:?}, content_type: {content_type:?}, hash: {hash:?}, bytes: include_bytes!({abs:?}) }},"
        );
        let key = rel.replace(['.', '/', '-'], "_").to_uppercase();
        println!("cargo:rustc-env=GUILDHALL_ASSET_HASH_{key}={hash}");
    }
    table.push_str("];\n");
    write(&out_dir.join("assets.rs"), table.as_bytes());
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (build.rs runs under cargo)"))
}

/// Runs `npm ci` unless the locked packages are installed at their locked versions.
fn ensure_node_modules(frontend: &Path, node_modules: &Path) {
    let lock = read_string(&frontend.join("package-lock.json"));
    let up_to_date = LOCKED_PACKAGES.iter().all(|name| {
        let installed = fs::read_to_string(node_modules.join(name).join("package.json"))
            .ok()
            .and_then(|s| json_string_after(&s, "\"version\""));
        let locked = lock
            .find(&format!("\"node_modules/{name}\""))
            .and_then(|i| json_string_after(&lock[i..], "\"version\""));
        installed.is_some() && installed == locked
    });
    if up_to_date {
        return;
    }

    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    // No install scripts and no optional packages: the Sass compiler is pure
    // JavaScript, and its only optional dependency (a native file watcher) is
    // for `sass --watch`.
    let args = [
        "ci",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--omit=optional",
    ];
    println!(
        "cargo:warning=frontend/node_modules is missing or out of date: running `npm {}` in {}",
        args.join(" "),
        frontend.display()
    );
    let status = Command::new(npm)
        .args(args)
        .current_dir(frontend)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "guildhall-web needs Node.js (>= 20.19) and npm to build its front-end assets, \
                 but `{npm}` could not be run: {e}. Install Node.js and npm, or run \
                 `npm ci` in {} yourself.",
                frontend.display()
            )
        });
    assert!(
        status.success(),
        "`npm {}` failed in {} ({status}); see its output above",
        args.join(" "),
        frontend.display()
    );
}

fn compile_sass(frontend: &Path, node_modules: &Path, css_path: &Path) {
    let node = if cfg!(windows) { "node.exe" } else { "node" };
    let output = Command::new(node)
        .arg(node_modules.join("sass/sass.js"))
        .args(["--no-source-map", "--style=compressed", "--no-charset", "--load-path"])
        .arg(node_modules)
        .arg(frontend.join("src/guildhall.scss"))
        .arg(css_path)
        .output()
        .unwrap_or_else(|e| {
            panic!("guildhall-web needs Node.js (>= 20.19) to compile its Sass, but `{node}` could not be run: {e}")
        });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "Sass failed to compile frontend/src/guildhall.scss ({}):\n{stderr}",
        output.status
    );
    // Deprecation notices and @warn output: show them, they matter on upgrades.
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        println!("cargo:warning=sass: {line}");
    }
}

/// `text` without a `sourceMappingURL` comment on its last line (`//# ...`
/// in JavaScript, `/*# ... */` in CSS), for a map we do not serve.
fn strip_source_map(text: String) -> String {
    let Some(i) = text.rfind("# sourceMappingURL=") else {
        return text;
    };
    if text[i..].trim_end().contains('\n') {
        return text;
    }
    let start = text[..i].trim_end_matches(['/', '*']);
    start.trim_end().to_owned() + "\n"
}

/// The first JSON string value after `key` in `text` (enough for npm's own
/// package.json and package-lock.json files).
fn json_string_after(text: &str, key: &str) -> Option<String> {
    let rest = &text[text.find(key)? + key.len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}

/// Every `url(...)` target in a CSS text, unquoted, without duplicates.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let Some(end) = rest.find(')') else { break };
        let url = rest[..end].trim().trim_matches(['"', '\'']).to_owned();
        if !urls.contains(&url) {
            urls.push(url);
        }
        rest = &rest[end..];
    }
    urls
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// 64-bit FNV-1a, as 16 hex digits.
fn short_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            list_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn read_string(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn copy(from: &Path, to: &Path) {
    fs::copy(from, to)
        .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
}

fn create_dir(path: &Path) {
    fs::create_dir_all(path).unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
}
