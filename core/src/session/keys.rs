//! Residents' keys in custody through a session: deposit, the weekly check,
//! a use signed on this phone for this person's side, the steps on site, and
//! lending against an ID.

use super::{Session, SessionError};
use crate::documents::key_custody::{
    KeyCustody, KeyCustodyDoc, KeyDeposit, LoanRequest, SignStep, SiteStep, UseRequest,
};
use crate::ids::RecordId;
use crate::store::DocumentStore;

impl<S: DocumentStore> Session<S> {
    /// Registers a resident's key taken into custody (《钥匙托管表》).
    pub fn deposit_key(&mut self, draft: &KeyDeposit) -> Result<RecordId, SessionError> {
        let doc =
            KeyCustodyDoc::deposit(draft, &self.rules, self.store().device_id(), &self.who())?;
        self.create(doc)
    }

    /// The key as this person may see it: names and ID numbers only for
    /// those who see residents' data.
    pub fn key_custody(&self, id: &RecordId) -> Result<KeyCustody, SessionError> {
        Ok(self
            .get::<KeyCustodyDoc>(id)?
            .read()?
            .shown_to(self.staff.role))
    }

    /// The weekly check: the key in the box, its seal intact or not.
    pub fn check_key(
        &mut self,
        id: &RecordId,
        check_id: &str,
        present: bool,
        seal_intact: bool,
        note: &str,
    ) -> Result<(), SessionError> {
        let rules = self.rules.clone();
        self.edit(id, |k: &mut KeyCustodyDoc, who, _| {
            k.check(check_id, present, seal_intact, note, &rules, who)
        })
    }

    pub fn request_key_use(&mut self, id: &RecordId, req: &UseRequest) -> Result<(), SessionError> {
        self.edit(id, |k: &mut KeyCustodyDoc, who, _| k.request_use(req, who))
    }

    /// This person signs `step` of a use for their side, with this phone's key.
    pub fn sign_key_use(
        &mut self,
        id: &RecordId,
        use_id: &str,
        step: SignStep,
        seal_no: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |k: &mut KeyCustodyDoc, who, key| {
            k.sign_use(use_id, step, seal_no, key, who)
        })
    }

    /// The seal opened on site, or a line of the entry register.
    pub fn key_site_step(
        &mut self,
        id: &RecordId,
        step_id: &str,
        use_id: &str,
        step: SiteStep,
        note: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |k: &mut KeyCustodyDoc, who, _| {
            k.site_step(step_id, use_id, step, note, who)
        })
    }

    pub fn lend_key(&mut self, id: &RecordId, loan: &LoanRequest) -> Result<(), SessionError> {
        self.edit(id, |k: &mut KeyCustodyDoc, who, _| k.lend(loan, who))
    }

    pub fn key_returned(&mut self, id: &RecordId, loan_id: &str) -> Result<(), SessionError> {
        self.edit(id, |k: &mut KeyCustodyDoc, who, _| k.returned(loan_id, who))
    }

    pub fn hand_back_key(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |k: &mut KeyCustodyDoc, who, _| k.hand_back(who))
    }
}
