//! A record's contents read out of Automerge once per version, and shared
//! by what asks for them next: the typed views, the query row and the write
//! policy. Reading a document walks every operation in it, far more than
//! the change an edit makes; the state at given heads never changes, so a
//! view read once stays true of those heads.

use std::any::Any;
use std::sync::{Arc, OnceLock};

use automerge::{AutoCommit, ChangeHash};
use serde::de::DeserializeOwned;

use crate::policy::tree::{self, Node};
use crate::policy::typed;

/// The record at one version: its tree (with object ids, for the write
/// policy) and, made when first asked for, its typed value.
#[derive(Debug)]
pub(crate) struct View {
    tree: Node,
    typed: OnceLock<Box<dyn Any + Send + Sync>>,
}

/// A typed value read from a tree, with the first key it has no field for.
type Typed<T> = Result<(T, Option<String>), String>;

impl View {
    pub(crate) fn new(tree: Node) -> Self {
        View {
            tree,
            typed: OnceLock::new(),
        }
    }

    /// The record as it is in `doc`; None if it holds values no record
    /// holds (Text, counters), which only the plain reader shows.
    pub(crate) fn read(doc: &AutoCommit) -> Option<Self> {
        tree::read_now(doc).map(View::new)
    }

    pub(crate) fn tree(&self) -> &Node {
        &self.tree
    }

    /// The record as `T`, read once (a record is read as one type), and the
    /// path of the first key `T` has no field for; the error is serde's.
    pub(crate) fn typed<T>(&self) -> Typed<T>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let kept = self
            .typed
            .get_or_init(|| Box::new(typed::read::<T>(&self.tree)));
        match kept.downcast_ref::<Typed<T>>() {
            Some(value) => value.clone(),
            None => typed::read(&self.tree),
        }
    }
}

/// The views a record keeps: of its present state, read when first asked
/// for and dropped by anything that may change it; and of the state just
/// before its latest change, which the write policy judges that change
/// against.
#[derive(Debug, Clone, Default)]
pub(crate) struct Views {
    now: OnceLock<Option<Arc<View>>>,
    earlier: Option<(Vec<ChangeHash>, Arc<View>)>,
}

impl Views {
    pub(crate) fn now(&self, doc: &AutoCommit) -> Option<&Arc<View>> {
        self.now
            .get_or_init(|| View::read(doc).map(Arc::new))
            .as_ref()
    }

    /// Called before `doc` may change: the present view, if read, is kept
    /// as the view at the heads it was read at.
    pub(crate) fn before_change(&mut self, doc: &mut AutoCommit) {
        if let Some(Some(view)) = self.now.take() {
            self.earlier = Some((doc.get_heads(), view));
        }
    }

    /// The view at `heads` (sorted), if one is kept.
    pub(crate) fn at(&self, heads: &[ChangeHash]) -> Option<Arc<View>> {
        match &self.earlier {
            Some((h, view)) if sorted(h) == heads => Some(view.clone()),
            _ => None,
        }
    }

    /// The present state, as the write policy has just read it.
    pub(crate) fn set_now(&mut self, view: Arc<View>) {
        self.now = OnceLock::from(Some(view));
        self.earlier = None;
    }

    /// Undoes `before_change` when nothing changed after all.
    pub(crate) fn unchanged(&mut self, doc: &mut AutoCommit) {
        if let Some((heads, view)) = self.earlier.take() {
            if doc.get_heads() == heads {
                self.now = OnceLock::from(Some(view));
            } else {
                self.earlier = Some((heads, view));
            }
        }
    }
}

fn sorted(heads: &[ChangeHash]) -> Vec<ChangeHash> {
    let mut h = heads.to_vec();
    h.sort();
    h
}
