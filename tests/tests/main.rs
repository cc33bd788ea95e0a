//! Every integration test of this crate, as modules of one test binary:
//! each file under tests/ would otherwise be its own crate, compiled and
//! linked against the whole dependency tree on its own, which is most of
//! what CI spends on two cores.

mod accounts;
mod company_rules;
mod convergence;
mod customer_revisits;
mod desk_log;
mod estate_import;
mod first_start;
mod hostile;
mod index_rows;
mod key_custody;
mod live;
mod month_story_api;
mod mutation;
mod new_company;
mod office_writes;
mod paid_services;
mod permissions;
mod renovation;
mod robustness;
mod same_words;
mod sessions;
mod several_servers;
mod survey;
mod template_versions;
