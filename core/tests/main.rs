//! Every integration test of this crate, as modules of one test binary:
//! each file under tests/ would otherwise be its own crate, compiled and
//! linked against the whole dependency tree on its own, which is most of
//! what CI spends on two cores.

mod common;

mod at_rest;
mod atomic_steps;
mod complaint_steps;
mod convergence;
mod crash;
mod customer_revisits;
mod desk_log;
mod head_set_deadline;
mod inspection_story;
mod key_custody_story;
mod month_story;
mod mutation;
mod order_of_events;
mod paid_service;
mod renovation_story;
mod revisit_follow_ups;
mod store;
mod survey;
mod technician_day;
mod work_order_story;
