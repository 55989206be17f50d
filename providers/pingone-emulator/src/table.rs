//! An indexed collection of resources that live under a parent (an environment, a user, ...):
//! O(1) lookup by ID, O(log n + page) ordered listing of one parent's rows, O(log n) insert and
//! remove, so lists and creates stay cheap however many rows the tenant holds.
//!
//! Rows are ordered by (parent, createdAt, id), the order cursor paging uses (see `hal`). In
//! the data file a table is a plain JSON array in that order; the indexes are rebuilt on load.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A row of a [`Table`].
pub(crate) trait Row {
    /// The row's unique ID.
    fn id(&self) -> &str;
    /// The ID of what the row belongs to (its environment, its actor, ...).
    fn parent(&self) -> &str;
    /// When the row was created; never changes.
    fn created_at(&self) -> DateTime<Utc>;
}

type OrderKey = (String, DateTime<Utc>, String);

/// Rows by ID, plus their order within each parent.
#[derive(Debug, Clone)]
pub(crate) struct Table<T> {
    rows: HashMap<String, T>,
    order: BTreeSet<OrderKey>,
    counts: HashMap<String, usize>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: HashMap::new(),
            order: BTreeSet::new(),
            counts: HashMap::new(),
        }
    }
}

fn key<T: Row>(row: &T) -> OrderKey {
    (
        row.parent().to_owned(),
        row.created_at(),
        row.id().to_owned(),
    )
}

impl<T: Row> Table<T> {
    /// Adds a row (replacing one with the same ID).
    pub(crate) fn insert(&mut self, row: T) {
        self.remove(row.id());
        self.order.insert(key(&row));
        *self.counts.entry(row.parent().to_owned()).or_default() += 1;
        self.rows.insert(row.id().to_owned(), row);
    }

    /// Removes a row by ID.
    pub(crate) fn remove(&mut self, id: &str) -> Option<T> {
        let row = self.rows.remove(id)?;
        self.order.remove(&key(&row));
        if let Some(count) = self.counts.get_mut(row.parent()) {
            *count = count.saturating_sub(1);
        }
        Some(row)
    }

    /// The row with this ID.
    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.rows.get(id)
    }

    /// The row with this ID, if it belongs to `parent`.
    pub(crate) fn get_in(&self, parent: &str, id: &str) -> Option<&T> {
        self.get(id).filter(|r| r.parent() == parent)
    }

    /// The row with this ID, mutably, if it belongs to `parent`. Callers must not change the
    /// row's ID, parent or creation time (the order index relies on them).
    pub(crate) fn get_mut_in(&mut self, parent: &str, id: &str) -> Option<&mut T> {
        self.rows.get_mut(id).filter(|r| r.parent() == parent)
    }

    /// How many rows belong to `parent`.
    pub(crate) fn count_in(&self, parent: &str) -> usize {
        self.counts.get(parent).copied().unwrap_or(0)
    }

    /// The rows of `parent` in order, starting after `after` (a (createdAt, id) cursor).
    pub(crate) fn iter_in<'a>(
        &'a self,
        parent: &'a str,
        after: Option<(DateTime<Utc>, &str)>,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let start = match after {
            Some((at, id)) => Bound::Excluded((parent.to_owned(), at, id.to_owned())),
            None => Bound::Included((parent.to_owned(), DateTime::<Utc>::MIN_UTC, String::new())),
        };
        self.order
            .range((start, Bound::Unbounded))
            .take_while(move |k| k.0 == parent)
            .filter_map(|k| self.rows.get(&k.2))
    }

    /// Every row, in (parent, createdAt, id) order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.order.iter().filter_map(|k| self.rows.get(&k.2))
    }

    /// Removes every row of `parent`; returns them.
    pub(crate) fn remove_in(&mut self, parent: &str) -> Vec<T> {
        let ids: Vec<String> = self
            .iter_in(parent, None)
            .map(|r| r.id().to_owned())
            .collect();
        ids.iter().filter_map(|id| self.remove(id)).collect()
    }
}

impl<T: Row + Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Row + DeserializeOwned> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows = Vec::<T>::deserialize(deserializer)?;
        let mut table = Table::default();
        for row in rows {
            table.insert(row);
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct R(String, String, i64);

    impl Row for R {
        fn id(&self) -> &str {
            &self.0
        }
        fn parent(&self) -> &str {
            &self.1
        }
        fn created_at(&self) -> DateTime<Utc> {
            DateTime::from_timestamp_millis(self.2).unwrap_or_default()
        }
    }

    fn table() -> Table<R> {
        let mut t = Table::default();
        for (id, parent, at) in [("c", "p", 3), ("a", "p", 1), ("b", "q", 2), ("d", "p", 2)] {
            t.insert(R(id.into(), parent.into(), at));
        }
        t
    }

    fn ids<'a>(rows: impl Iterator<Item = &'a R>) -> Vec<&'a str> {
        rows.map(|r| r.0.as_str()).collect()
    }

    #[test]
    fn lists_one_parent_in_creation_order_after_a_cursor() {
        let t = table();
        assert_eq!(ids(t.iter_in("p", None)), ["a", "d", "c"]);
        let after = DateTime::from_timestamp_millis(2).unwrap_or_default();
        assert_eq!(ids(t.iter_in("p", Some((after, "d")))), ["c"]);
        assert_eq!(t.count_in("p"), 3);
        assert!(t.get_in("q", "a").is_none());
    }

    #[test]
    fn remove_updates_indexes_and_serde_round_trips() {
        let mut t = table();
        assert!(t.remove("d").is_some());
        assert_eq!((t.count_in("p"), t.iter().count()), (2, 3));
        let json = serde_json::to_string(&t).expect("json");
        let mut back: Table<R> = serde_json::from_str(&json).expect("back");
        assert_eq!(ids(back.iter_in("p", None)), ["a", "c"]);
        assert_eq!(back.remove_in("p").len(), 2);
    }
}
