//! Checklist templates through a session: a head authors one (from scratch or
//! from the manuals' four) and publishes each edit as the next version; an
//! inspection already started keeps the version it started on.

use super::{Session, SessionError};
use crate::documents::template::{Template, TemplateDoc, TemplateDraft, TemplateItem};
use crate::documents::{Record, RecordKind};
use crate::ids::RecordId;
use crate::store::DocumentStore;

impl<S: DocumentStore> Session<S> {
    /// Creates a template in `estate_id` with its first version published.
    /// `id` is made by the caller: a retry that finds it already there
    /// creates nothing more.
    pub fn create_template(
        &mut self,
        id: RecordId,
        estate_id: &str,
        draft: &TemplateDraft,
    ) -> Result<RecordId, SessionError> {
        if let Some(row) = self.store().index_row(id.as_str())? {
            if row.kind == RecordKind::Template && self.staff.works_on(&row.estate_id) {
                return Ok(id);
            }
        }
        let doc = TemplateDoc::create(id, estate_id, draft, self.store().device_id(), &self.who())?;
        self.create(doc)
    }

    /// Publishes `items` as the template's next version and returns its
    /// number (the same items as the latest publish nothing).
    pub fn publish_template(
        &mut self,
        id: &RecordId,
        items: &[TemplateItem],
    ) -> Result<i64, SessionError> {
        self.edit(id, |t: &mut TemplateDoc, who, _| t.publish(items, who))
    }

    pub fn template(&self, id: &RecordId) -> Result<Template, SessionError> {
        Ok(self.get::<TemplateDoc>(id)?.read()?)
    }

    /// Whether this person may publish a new version of the template now.
    pub fn may_publish_template(&self, id: &RecordId) -> Result<bool, SessionError> {
        self.allows(id, |t: &mut TemplateDoc, who| {
            // Another version than the latest: the probe is a real edit.
            let mut items = t
                .read()?
                .latest()
                .map(|v| v.items.clone())
                .unwrap_or_default();
            items.reverse();
            items.push(TemplateItem {
                id: format!("probe-{}", items.len()),
                title_zh: "-".into(),
                title_en: String::new(),
            });
            t.publish(&items, who).map(|_| ())
        })
    }

    /// Whether this person may author templates in `estate_id`: tried on a
    /// draft kept nowhere, judged as `create_template` would be.
    pub fn may_author_template(&self, estate_id: &str) -> bool {
        let draft = TemplateDraft {
            checklist_kind: "probe".into(),
            name_zh: "-".into(),
            name_en: String::new(),
            items: vec![TemplateItem {
                id: "probe".into(),
                title_zh: "-".into(),
                title_en: String::new(),
            }],
        };
        self.staff.works_on(estate_id)
            && TemplateDoc::create(
                RecordId::new(),
                estate_id,
                &draft,
                self.store().device_id(),
                &self.who(),
            )
            .and_then(|mut doc| self.judge_new(doc.record_mut()))
            .is_ok()
    }
}
