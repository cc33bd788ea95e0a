//! The same refusal reads the same on the phone and from the server: one
//! code (`rounds_core::message::ErrorCode`) and the same Chinese and English,
//! because both take them from the core error itself.

use rounds_core::blobs::BlobError;
use rounds_core::documents::TransitionError;
use rounds_core::message::{Bilingual, Explain};
use rounds_core::policy::{Code, Violation};
use rounds_core::rules::{RepairClass, RulesError};
use rounds_core::session::SessionError;
use rounds_core::store::StoreError;
use rounds_core::{RecordError, Role};
use rounds_mobile::RoundsError;
use rounds_server::AppError;

/// Refusals a field screen and the office both meet.
fn refusals() -> Vec<SessionError> {
    let at = |hour: i64| rounds_core::time::from_millis(1_790_040_000_000 + hour * 3_600_000);
    let record = |e: RecordError| SessionError::Store(StoreError::Record(e));
    vec![
        record(
            TransitionError::NotAllowed {
                from: "dispatched",
                to: "in_progress",
            }
            .into(),
        ),
        record(
            TransitionError::RoleMayNot {
                role: Role::Technician,
                to: "reviewed",
            }
            .into(),
        ),
        record(
            TransitionError::Incomplete {
                missing: "work_done 维修内容".into(),
            }
            .into(),
        ),
        record(TransitionError::InConflict.into()),
        record(RecordError::NoSuchItem {
            what: "extension",
            id: "x1".into(),
        }),
        record(RecordError::Mismatch {
            expected: "work_order".into(),
            found: "complaint".into(),
        }),
        record(RecordError::Policy(Violation::new(
            Code::Deadline,
            "deadline.due_at",
            "期限只能随批准的延期改变",
            "the deadline moves only with an approved extension",
        ))),
        SessionError::Store(StoreError::Blob(BlobError::Empty)),
        SessionError::Store(StoreError::NotFound("u-1".into())),
        SessionError::Rules(RulesError::DeadlineFixed(RepairClass::Urgent24h)),
        SessionError::Rules(RulesError::ExtensionNotLater {
            current: at(10),
            requested: at(9),
        }),
        SessionError::NotYourEstate {
            estate_id: "e2".into(),
        },
    ]
}

#[test]
fn the_phone_and_the_server_say_the_same_for_the_same_refusal() {
    for (phone, office) in refusals().into_iter().zip(refusals()) {
        let core = (phone.code(), phone.message());
        let on_phone = RoundsError::from(phone);
        let body = AppError::from(office).body();

        let (code, words) = on_phone.said();
        assert_eq!(code, core.0.as_str(), "{on_phone:?}");
        assert_eq!(words, core.1, "{on_phone:?}");
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["message_zh"], words.zh.as_str(), "{body}");
        assert_eq!(body["message_en"], words.en.as_str(), "{body}");
        assert_eq!(
            body["message"],
            words.to_string(),
            "older clients read one line"
        );
        // Two halves, neither holding the other.
        assert!(
            !words.en.contains(&words.zh) && !words.zh.contains(&words.en),
            "{words:?}"
        );
    }
}

/// A server error the phone only hears about keeps the server's code and
/// both halves as the server sent them, " / " inside a half included.
#[test]
fn a_server_refusal_arrives_with_its_halves_whole() {
    let sent = Bilingual::new("手机时间可能快了 / 慢了", "ahead / behind");
    let e = rounds_core::sync::SyncError::Server {
        status: 409,
        code: "some_newer_code".into(),
        message: sent.clone(),
    };
    let on_phone = RoundsError::from(e);
    let (code, words) = on_phone.said();
    assert_eq!((code, &words), ("some_newer_code", &sent));
}
