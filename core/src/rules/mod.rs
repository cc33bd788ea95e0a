//! filled by the rules work
