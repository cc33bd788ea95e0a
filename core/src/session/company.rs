//! The company's rules and calendar through a session: a director sets them
//! (the server writes its rules file as the company), and a session applies
//! what the synced document holds, so a phone counts deadlines as the
//! office does.

use super::{Session, SessionError};
use crate::documents::company::{company_rules_id, CompanyRules, CompanyRulesDoc};
use crate::store::{DocumentStore, StoreError};

impl<S: DocumentStore> Session<S> {
    /// What the company's rules document holds, if this store has it yet.
    pub fn stored_company_rules(&self) -> Result<Option<CompanyRulesDoc>, SessionError> {
        match self.get::<CompanyRulesDoc>(&company_rules_id()) {
            Ok(doc) => Ok(Some(doc)),
            Err(SessionError::Store(StoreError::NotFound(_))) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes `company` as the company's rules (creating the document the
    /// first time), as this session's person, who must be a director; the
    /// session then applies them. Returns whether anything changed.
    pub fn set_company_rules(&mut self, company: &CompanyRules) -> Result<bool, SessionError> {
        let changed = match self.stored_company_rules()? {
            Some(_) => self.edit(&company_rules_id(), |doc: &mut CompanyRulesDoc, who, _| {
                doc.set(company, who)
            })?,
            None => {
                let who = self.who();
                let doc = CompanyRulesDoc::create(company, who.device_id, &who)?;
                self.create(doc)?;
                true
            }
        };
        self.apply_company_rules(company.clone());
        Ok(changed)
    }

    /// Applies the rules and calendar the stored document holds, if any and
    /// they differ from those applied; returns whether they changed. A
    /// document that does not read (from a newer release, say) leaves the
    /// rules applied as they were.
    pub fn follow_company_rules(&mut self) -> Result<bool, SessionError> {
        let Some(doc) = self.stored_company_rules()? else {
            return Ok(false);
        };
        let company = doc.read()?;
        if company.rules == self.rules && company.calendar == self.calendar {
            return Ok(false);
        }
        self.apply_company_rules(company);
        Ok(true)
    }

    /// The rules and calendar this session applies from now on.
    pub fn apply_company_rules(&mut self, company: CompanyRules) {
        self.rules = company.rules;
        self.calendar = company.calendar;
    }
}
