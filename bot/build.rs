// The shipped knowledge base is embedded in the binary (src/bundled.rs): rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=../knowledge/kb");
}
