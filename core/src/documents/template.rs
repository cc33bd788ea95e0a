//! The checklist template (检查模板) an inspection is started from: data an
//! administrator edits, published as numbered versions that never change, so an
//! inspection started on version 2 still reads as version 2 after version 3.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::{TransitionError, Who};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::message::Bilingual;
use crate::time::Millis;

/// The kinds the manuals name; an administrator may add others.
pub const BUILDING_PATROL: &str = "building_patrol";
pub const WEEKLY_ESTATE_PATROL: &str = "weekly_estate_patrol";
pub const VACANT_UNIT_PATROL: &str = "vacant_unit_patrol";
pub const RENOVATION_PATROL: &str = "renovation_patrol";

/// One line of the checklist. Its id stays the same across versions, so
/// reports can follow an item from one version to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateItem {
    pub id: String,
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateVersion {
    /// Tells apart two versions given the same number by heads offline.
    pub id: String,
    pub version: i64,
    pub items: Vec<TemplateItem>,
    pub published_by: String,
    pub published_at: Millis,
}

/// A template as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub estate_id: String,
    /// building_patrol, vacant_unit_patrol, … (the root “kind” is the record kind).
    pub checklist_kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub created_by: String,
    pub created_at: Millis,
    pub versions: Vec<TemplateVersion>,
}

impl Template {
    /// The newest version. Two heads publishing offline both keep their
    /// version under the same number; the later one (then the larger id) is
    /// the latest on every replica alike.
    pub fn latest(&self) -> Option<&TemplateVersion> {
        self.versions.iter().max_by(|a, b| order(a).cmp(&order(b)))
    }

    /// Version `n` (by the same tie-break as `latest`).
    pub fn version(&self, n: i64) -> Option<&TemplateVersion> {
        self.versions
            .iter()
            .filter(|v| v.version == n)
            .max_by(|a, b| order(a).cmp(&order(b)))
    }

    /// Two versions share a number: a head should look and publish again.
    pub fn has_duplicate_versions(&self) -> bool {
        let mut numbers: Vec<i64> = self.versions.iter().map(|v| v.version).collect();
        numbers.sort_unstable();
        numbers.windows(2).any(|w| w[0] == w[1])
    }
}

fn order(v: &TemplateVersion) -> (i64, Millis, &str) {
    (v.version, v.published_at, v.id.as_str())
}

/// What an administrator fills in to create a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateDraft {
    pub checklist_kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<TemplateItem>,
}

pub struct TemplateDoc {
    doc: RecordDoc,
}

record_view!(TemplateDoc, RecordKind::Template, index_row);

/// Templates and routes are the heads' data; staff in the field use them.
pub(crate) fn heads_only(who: &Who, what: &'static str) -> Result<(), RecordError> {
    if who.role.is_head() {
        Ok(())
    } else {
        Err(TransitionError::RoleMayNot {
            role: who.role,
            to: what,
        }
        .into())
    }
}

fn check_items(items: &[TemplateItem]) -> Result<(), RecordError> {
    if items.is_empty() {
        return Err(RecordError::invalid(
            "items",
            "检查项不能为空",
            "a checklist needs at least one item",
        ));
    }
    let bad = |index, field, zh: String, en: String| RecordError::InvalidItem {
        list: "items",
        index,
        field,
        reason: Bilingual::new(zh, en),
    };
    for (i, item) in items.iter().enumerate() {
        if item.id.trim().is_empty() {
            return Err(bad(
                i,
                "id",
                "编号不能为空".into(),
                "the id must not be empty".into(),
            ));
        }
        if item.title_zh.trim().is_empty() {
            return Err(bad(
                i,
                "title_zh",
                "请填写检查内容".into(),
                "write what is checked".into(),
            ));
        }
        if items[..i].iter().any(|other| other.id == item.id) {
            return Err(bad(
                i,
                "id",
                format!("检查项编号“{}”重复", item.id),
                format!("item id “{}” is used twice", item.id),
            ));
        }
    }
    Ok(())
}

impl TemplateDoc {
    /// Creates the template with its first version published.
    pub fn create(
        id: RecordId,
        estate_id: &str,
        draft: &TemplateDraft,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        heads_only(who, "template published")?;
        required("estate_id", estate_id)?;
        required("checklist_kind", &draft.checklist_kind)?;
        required("name_zh", &draft.name_zh)?;
        check_items(&draft.items)?;
        let first = TemplateVersion {
            id: uuid::Uuid::now_v7().to_string(),
            version: 1,
            items: draft.items.clone(),
            published_by: who.staff_id.clone(),
            published_at: who.at,
        };
        let skeleton = json!({
            "checklist_kind": draft.checklist_kind,
            "name_zh": draft.name_zh,
            "name_en": draft.name_en,
            "created_by": who.staff_id,
            "created_at": who.at,
            "versions": [first],
        });
        let doc = RecordDoc::create(RecordKind::Template, id, estate_id, device, who, skeleton)?;
        Ok(TemplateDoc { doc })
    }

    pub fn read(&self) -> Result<Template, RecordError> {
        self.doc.read()
    }

    /// Publishes an edited checklist as the next version and returns its
    /// number; the same items again publish nothing (a retry, say).
    pub fn publish(&mut self, items: &[TemplateItem], who: &Who) -> Result<i64, RecordError> {
        heads_only(who, "template published")?;
        check_items(items)?;
        let template = self.read()?;
        let latest = template
            .latest()
            .ok_or_else(|| RecordError::Malformed("template has no version".into()))?;
        if latest.items == items {
            return Ok(latest.version);
        }
        let next = template
            .versions
            .iter()
            .map(|v| v.version)
            .max()
            .unwrap_or(0)
            + 1;
        let version = TemplateVersion {
            id: uuid::Uuid::now_v7().to_string(),
            version: next,
            items: items.to_vec(),
            published_by: who.staff_id.clone(),
            published_at: who.at,
        };
        self.doc.change(who, "publish template", |d| {
            codec::append(d, &["versions"], &version)
        })?;
        Ok(next)
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let t: Template = doc.read()?;
    let latest = t.latest();
    Ok(IndexRow {
        id: t.id.clone(),
        kind: RecordKind::Template,
        estate_id: t.estate_id.clone(),
        status: "published".into(),
        open: false,
        conflicted: t.has_duplicate_versions(),
        assignee: None,
        unit_id: None,
        category: Some(t.checklist_kind.clone()),
        emergency: false,
        created_at: t.created_at,
        due_at: None,
        done_at: latest.map(|v| v.published_at),
        title: t.name_zh.clone(),
        facts: json!({
            "latest_version": latest.map(|v| v.version),
            "items": latest.map_or(0, |v| v.items.len()),
        })
        .into(),
    })
}

fn items(list: &[(&str, &str, &str)]) -> Vec<TemplateItem> {
    list.iter()
        .map(|(id, zh, en)| TemplateItem {
            id: (*id).into(),
            title_zh: (*zh).into(),
            title_en: (*en).into(),
        })
        .collect()
}

/// The four checklists the manuals name, for a new estate to start from.
#[rustfmt::skip] // a table reads best one item a line
pub fn default_templates() -> Vec<TemplateDraft> {
    let draft = |kind: &str, zh: &str, en: &str, list: &[(&str, &str, &str)]| TemplateDraft {
        checklist_kind: kind.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        items: items(list),
    };
    vec![
        draft(BUILDING_PATROL, "楼宇巡查表", "Building patrol", &[
            ("lobby", "大堂及门厅清洁、照明正常", "Lobby and entrance hall clean and lit"),
            ("entrance_door", "单元门、门禁对讲正常", "Entrance door, access control and intercom work"),
            ("stair_lights", "楼道照明、声控灯完好", "Corridor and stairwell lights work"),
            ("fire_equipment", "消防栓、灭火器完好,疏散通道畅通", "Hydrants and extinguishers in order, escape routes clear"),
            ("lift", "电梯运行正常,轿厢清洁", "Lift runs normally, car clean"),
            ("walls", "墙面、天花无渗漏破损", "Walls and ceilings free of leaks and damage"),
            ("clutter", "楼道无堆放杂物", "Nothing stored in corridors"),
            ("signage", "标识标牌齐全清晰", "Signs complete and legible"),
            ("roof", "天台门锁闭,屋面无积水", "Roof door locked, no standing water on the roof"),
        ]),
        draft(WEEKLY_ESTATE_PATROL, "小区周巡表", "Weekly estate patrol", &[
            ("roads", "道路路面完好无破损", "Roads and paving intact"),
            ("greenery", "绿化修剪整齐,无枯死", "Planting trimmed, nothing dead"),
            ("lighting", "路灯、景观灯完好", "Street and landscape lights work"),
            ("parking", "车辆停放有序,消防通道畅通", "Cars parked in order, fire lanes clear"),
            ("waste", "垃圾收集点清洁,清运及时", "Waste points clean and emptied on time"),
            ("play_equipment", "健身器材、儿童游乐设施安全", "Fitness and play equipment safe"),
            ("drains", "井盖完好,排水通畅", "Manhole covers intact, drains flowing"),
            ("notices", "公告栏信息及时更新", "Notice boards up to date"),
            ("perimeter", "围墙、护栏、门岗完好", "Perimeter wall, railings and gatehouse intact"),
        ]),
        draft(VACANT_UNIT_PATROL, "空置房单元巡查记录表", "Vacant-unit patrol", &[
            ("doors_windows", "门窗关闭完好", "Doors and windows shut and intact"),
            ("water", "水管、阀门无渗漏", "No leaks at pipes and valves"),
            ("floor_drains", "地漏下水无堵塞返味", "Floor drains clear, no smell"),
            ("power", "电表、配电箱正常,无私拉电线", "Meter and fuse box normal, no illicit wiring"),
            ("damp", "墙面天花无渗水霉变", "No seepage or mould on walls and ceilings"),
            ("clean", "室内清洁无异味", "Inside clean, no odour"),
            ("entry", "无擅自进入痕迹", "No sign of unauthorised entry"),
        ]),
        draft(RENOVATION_PATROL, "装修巡查表", "Renovation patrol", &[
            ("permit", "装修许可证已张贴", "Renovation permit posted"),
            ("hours", "施工时间符合规定", "Work within permitted hours"),
            ("structure", "未拆改承重墙及主体结构", "No load-bearing wall or structure altered"),
            ("waterproofing", "卫生间防水按要求施工并做闭水试验", "Bathroom waterproofing done and water-tested"),
            ("fire_safety", "现场配备灭火器,无违规动火", "Extinguisher on site, no unauthorised hot work"),
            ("debris", "装修垃圾袋装并堆放在指定地点", "Debris bagged and left where designated"),
            ("facade", "未改变外立面及阳台", "Facade and balconies unchanged"),
            ("workers", "施工人员持出入证", "Workers carry passes"),
            ("common_area", "公共区域无污染损坏", "Common areas not soiled or damaged"),
        ]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Record;
    use crate::Role;

    fn who(role: Role, at: Millis) -> Who {
        Who {
            staff_id: "s1".into(),
            role,
            device_id: DeviceId::new(),
            at,
        }
    }

    #[test]
    fn defaults_are_four_valid_checklists() {
        let drafts = default_templates();
        assert_eq!(drafts.len(), 4);
        for d in &drafts {
            check_items(&d.items).unwrap();
            assert!((6..=10).contains(&d.items.len()), "{}", d.name_zh);
        }
    }

    #[test]
    fn a_published_version_never_changes_and_only_heads_publish() {
        let draft = &default_templates()[0];
        let sup = who(Role::Supervisor, 1);
        let mut t = TemplateDoc::create(RecordId::new(), "e1", draft, sup.device_id, &sup).unwrap();
        let mut edited = draft.items.clone();
        edited.pop();
        assert!(t
            .publish(&edited, &who(Role::PropertyAssistant, 2))
            .is_err());
        assert_eq!(t.publish(&edited, &who(Role::Director, 3)).unwrap(), 2);
        assert_eq!(t.publish(&edited, &who(Role::Director, 4)).unwrap(), 2);
        let read = t.read().unwrap();
        assert_eq!(read.versions.len(), 2);
        assert_eq!(read.version(1).unwrap().items, draft.items);
        assert_eq!(read.latest().unwrap().items, edited);
    }

    #[test]
    fn two_heads_publishing_offline_keep_both_and_agree_on_the_latest() {
        let draft = &default_templates()[1];
        let sup = who(Role::Supervisor, 1);
        let mut a = TemplateDoc::create(RecordId::new(), "e1", draft, sup.device_id, &sup).unwrap();
        let bytes = a.record_mut().save();
        let mut b =
            TemplateDoc::from_record(RecordDoc::load(&bytes, DeviceId::new()).unwrap()).unwrap();
        a.publish(&draft.items[1..], &who(Role::Supervisor, 2))
            .unwrap();
        b.publish(&draft.items[2..], &who(Role::Director, 3))
            .unwrap();
        a.record_mut().merge(b.record_mut()).unwrap();
        b.record_mut().merge(a.record_mut()).unwrap();
        let (ra, rb) = (a.read().unwrap(), b.read().unwrap());
        assert_eq!(ra.versions.len(), 3);
        assert_eq!(ra.latest(), rb.latest());
        assert_eq!(ra.latest().unwrap().items, draft.items[2..]);
        assert!(a.index_row().unwrap().conflicted);
        assert_eq!(
            a.publish(&draft.items, &who(Role::Supervisor, 4)).unwrap(),
            3
        );
    }

    #[test]
    fn items_need_unique_ids_and_titles() {
        let mut list = items(&[("a", "甲", "A"), ("a", "乙", "B")]);
        assert!(check_items(&list).is_err());
        list[1].id = "b".into();
        list[1].title_zh = " ".into();
        assert!(check_items(&list).is_err());
        assert!(check_items(&[]).is_err());
    }
}
