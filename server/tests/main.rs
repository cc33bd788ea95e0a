//! Every integration test of this crate, as modules of one test binary:
//! each file under tests/ would otherwise be its own crate, compiled and
//! linked against the whole dependency tree on its own, which is most of
//! what CI spends on two cores.

mod blobs;
mod demo_seed;
mod demo_today;
mod errors_json;
mod openapi_routes;
mod sign_in;
