//! The resident's signed acceptance (业主验收签字).
//!
//! What the resident accepted (work, materials, hours, fees) is reduced to a
//! canonical SHA-256 digest; the phone signs that digest, the image of the
//! resident's signature and the time with its own Ed25519 key. The office can
//! then prove which device captured the acceptance and that nothing it covers
//! changed afterwards: any later edit, including a concurrent offline edit that
//! merges in after the signature, gives a different digest.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::DeviceId;
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::places::Personal;
use crate::time::Millis;

/// The fields a sign-off covers, in a fixed order. Materials are sorted by id
/// so the digest does not depend on the order replicas merged them in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptedWork {
    pub order_id: String,
    pub work_done: String,
    pub materials: Vec<AcceptedMaterial>,
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub prep_minutes: i64,
    pub paid_service: bool,
    pub quoted_fen: Option<i64>,
    pub materials_fee_fen: i64,
    pub labour_fee_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptedMaterial {
    pub id: String,
    pub name: String,
    pub quantity: f64,
    pub unit: String,
    pub unit_price_fen: i64,
}

impl AcceptedWork {
    /// The digest of what the resident was shown and accepted, their own
    /// name included (a name changed afterwards no longer matches).
    pub fn digest(&self, resident_name: &str) -> String {
        let mut sorted = self.clone();
        sorted.materials.sort_by(|a, b| a.id.cmp(&b.id));
        // serde_json writes struct fields in declaration order and floats in
        // their shortest exact form, so equal values give equal bytes.
        let bytes =
            serde_json::to_vec(&(resident_name, &sorted)).expect("plain data always serialises");
        let mut h = Sha256::new();
        h.update(b"rounds/accepted-work/v2\n");
        h.update(&bytes);
        hex::encode(h.finalize())
    }
}

/// One captured acceptance, as the work order keeps it. Earlier sign-offs stay
/// in the record, so a version that was signed remains readable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub id: String,
    pub digest: String,
    /// SHA-256 of the image of the resident's signature (a blob).
    pub signature_image: String,
    pub resident_name: Personal<String>,
    pub signed_at: Millis,
    pub device_id: DeviceId,
    /// The signing device's public key, hex.
    pub device_key: String,
    /// Ed25519 signature over [`signed_message`], hex.
    pub device_signature: String,
    /// The document heads when it was signed: the signed version, readable later.
    pub heads: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SignOffValidity {
    Unsigned,
    Valid,
    /// What it covers changed after signing; the signed version is still kept.
    Changed {
        signed_digest: String,
        current_digest: String,
    },
    /// The device signature does not match: forged or damaged.
    BadSignature,
}

impl SignOffValidity {
    pub fn is_valid(&self) -> bool {
        matches!(self, SignOffValidity::Valid)
    }

    /// The state's name in JSON ("bad_signature").
    pub fn code(&self) -> &'static str {
        match self {
            SignOffValidity::Unsigned => "unsigned",
            SignOffValidity::Valid => "valid",
            SignOffValidity::Changed { .. } => "changed",
            SignOffValidity::BadSignature => "bad_signature",
        }
    }
}

fn signed_message(digest: &str, image: &str, signed_at: Millis, device: &DeviceId) -> Vec<u8> {
    format!("rounds/signoff/v1\n{digest}\n{image}\n{signed_at}\n{device}").into_bytes()
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum KeyError {
    BadLength,
    Random(String),
}

impl Explain for KeyError {
    fn code(&self) -> ErrorCode {
        ErrorCode::Internal
    }

    fn message(&self) -> Bilingual {
        match self {
            KeyError::BadLength => Bilingual::new("设备密钥无效", "the device key is not 32 bytes"),
            KeyError::Random(e) => Bilingual::new(
                format!("无法生成设备密钥:{e}"),
                format!("the system random source failed: {e}"),
            ),
        }
    }
}

/// A device's own signing key; it never leaves the phone.
pub struct DeviceKey(SigningKey);

impl DeviceKey {
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(DeviceKey(SigningKey::from_bytes(&seed)))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let seed: [u8; 32] = bytes.try_into().map_err(|_| KeyError::BadLength)?;
        Ok(DeviceKey(SigningKey::from_bytes(&seed)))
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    /// This device's Ed25519 signature of `message`, hex: what every record
    /// that carries a device signature (a sign-off, a key use) stores.
    pub fn sign_message(&self, message: &[u8]) -> String {
        hex::encode(self.0.sign(message).to_bytes())
    }

    pub fn sign(
        &self,
        device_id: DeviceId,
        work: &AcceptedWork,
        signature_image: &str,
        resident_name: &str,
        signed_at: Millis,
        heads: Vec<String>,
    ) -> SignOff {
        let digest = work.digest(resident_name);
        let message = signed_message(&digest, signature_image, signed_at, &device_id);
        SignOff {
            id: uuid::Uuid::now_v7().to_string(),
            device_signature: self.sign_message(&message),
            digest,
            signature_image: signature_image.to_owned(),
            resident_name: Personal(resident_name.to_owned()),
            signed_at,
            device_id,
            device_key: self.public_hex(),
            heads,
        }
    }
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceKey({})", self.public_hex())
    }
}

/// Whether `signature` (hex) is the Ed25519 signature of `message` by the
/// public key `key` (hex); anything malformed does not verify.
pub fn verifies(key: &str, message: &[u8], signature: &str) -> bool {
    let key = hex::decode(key)
        .ok()
        .and_then(|k| <[u8; 32]>::try_from(k).ok());
    let sig = hex::decode(signature)
        .ok()
        .and_then(|s| <[u8; 64]>::try_from(s).ok());
    let (Some(key), Some(sig)) = (key, sig) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&key) else {
        return false;
    };
    key.verify(message, &Signature::from_bytes(&sig)).is_ok()
}

impl SignOff {
    /// Whether the device signature verifies against the key it names. Whether
    /// that key belongs to the device it names is the server's to check.
    pub fn signature_verifies(&self) -> bool {
        let message = signed_message(
            &self.digest,
            &self.signature_image,
            self.signed_at,
            &self.device_id,
        );
        verifies(&self.device_key, &message, &self.device_signature)
    }

    pub fn validity(&self, current: &AcceptedWork) -> SignOffValidity {
        if !self.signature_verifies() {
            return SignOffValidity::BadSignature;
        }
        let current_digest = current.digest(&self.resident_name.0);
        if current_digest == self.digest {
            SignOffValidity::Valid
        } else {
            SignOffValidity::Changed {
                signed_digest: self.digest.clone(),
                current_digest,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work() -> AcceptedWork {
        AcceptedWork {
            order_id: "o1".into(),
            work_done: "更换水龙头阀芯".into(),
            materials: vec![
                AcceptedMaterial {
                    id: "b".into(),
                    name: "阀芯".into(),
                    quantity: 1.0,
                    unit: "个".into(),
                    unit_price_fen: 3500,
                },
                AcceptedMaterial {
                    id: "a".into(),
                    name: "生料带".into(),
                    quantity: 0.5,
                    unit: "卷".into(),
                    unit_price_fen: 200,
                },
            ],
            started_at: Some(1_000),
            ended_at: Some(3_600_000),
            prep_minutes: 15,
            paid_service: true,
            quoted_fen: Some(8000),
            materials_fee_fen: 3600,
            labour_fee_fen: 4000,
        }
    }

    #[test]
    fn digest_ignores_material_order_but_not_content() {
        let w = work();
        let mut reordered = w.clone();
        reordered.materials.reverse();
        assert_eq!(w.digest("王芳"), reordered.digest("王芳"));
        let mut changed = w.clone();
        changed.labour_fee_fen += 1;
        assert_ne!(w.digest("王芳"), changed.digest("王芳"));
        assert_ne!(w.digest("王芳"), w.digest("李明"));
    }

    #[test]
    fn a_signature_is_valid_until_what_it_covers_changes() {
        let key = DeviceKey::generate().unwrap();
        let s = key.sign(DeviceId::new(), &work(), "abc", "王芳", 42, vec![]);
        assert_eq!(s.validity(&work()), SignOffValidity::Valid);
        let mut more = work();
        more.materials[0].quantity = 2.0;
        assert!(matches!(s.validity(&more), SignOffValidity::Changed { .. }));
        let mut renamed = s.clone();
        renamed.resident_name = Personal("李明".into());
        assert!(matches!(
            renamed.validity(&work()),
            SignOffValidity::Changed { .. }
        ));
    }

    #[test]
    fn a_tampered_signoff_does_not_verify() {
        let key = DeviceKey::generate().unwrap();
        let mut s = key.sign(DeviceId::new(), &work(), "abc", "王芳", 42, vec![]);
        s.signed_at += 1;
        assert_eq!(s.validity(&work()), SignOffValidity::BadSignature);
        let other = DeviceKey::generate().unwrap();
        let mut s2 = key.sign(DeviceId::new(), &work(), "abc", "王芳", 42, vec![]);
        s2.device_key = other.public_hex();
        assert!(!s2.signature_verifies());
    }
}
