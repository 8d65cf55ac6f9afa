// `sqlx::migrate!` embeds the migrations at build time: a new or changed
// migration file must rebuild this crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
