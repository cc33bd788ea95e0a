//! The office's JSON API, for the console: lists read from the query tables,
//! one record's view, and every edit as a core `Session` step ([`acting`]),
//! scoped to the estates of the signed-in person ([`scope`]).

pub mod acting;
pub mod company_rules;
pub mod complaint_actions;
pub mod complaint_board;
pub mod complaint_view;
pub mod customers;
pub mod desk;
pub mod directory;
pub mod estate_admin;
pub mod estate_import;
pub mod fees;
pub mod form;
pub mod intake;
pub mod keys;
pub mod labels;
pub mod lists;
pub mod order_actions;
pub mod order_view;
pub mod patrols;
pub mod renovations;
pub mod report_csv;
pub mod resident_file;
pub mod revisit_actions;
pub mod scope;
pub mod sheet_upload;
pub mod surveys;
pub mod templates;
