fn main() {
    // Checks cors.yaml and writes `$OUT_DIR/cors.rs`; any error fails the build with
    // `cors.yaml:LINE:COL`.
    cors_policy::build::compile("cors.yaml");
}
