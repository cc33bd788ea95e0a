//! Generates the Kotlin and Swift bindings from the built library (library
//! mode); run through `mobile-bindings/build.sh`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
