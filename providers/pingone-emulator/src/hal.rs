//! HAL collections and cursor paging (API.md §4.5).
//!
//! A collection is `{"_links":{"self","next"?},"_embedded":{<key>:[...]},"count","size"}`.
//! Items are ordered by (createdAt, id); the opaque `cursor` names the last item of the
//! previous page by that key, so paging stays stable when items are added or deleted between
//! requests. `_links.next` is present only when more items follow.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail};
use crate::extract::RequestUrl;
use crate::filter::{self, Filter, FilterSpec};

/// The ordering key of a collection item: creation time, then ID.
pub(crate) type ItemKey<'a> = (DateTime<Utc>, &'a str);

/// The paging and filtering parameters of a list request.
#[derive(Debug, Clone)]
pub(crate) struct ListQuery {
    /// The page size.
    pub(crate) limit: usize,
    /// Where the previous page ended.
    cursor: Option<(i64, String)>,
    /// The raw filter text, if any.
    filter_text: Option<String>,
    /// The parsed filter, if any.
    pub(crate) filter: Option<Filter>,
}

/// Limits on a collection's page size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Page size when `limit` is absent.
    pub(crate) default: usize,
    /// Largest accepted `limit`.
    pub(crate) max: usize,
}

impl ListQuery {
    /// Parses `limit`, `cursor` and `filter` from a raw query string; other parameters are
    /// ignored.
    pub(crate) fn parse(
        query: Option<&str>,
        limits: Limits,
        spec: FilterSpec,
    ) -> Result<ListQuery, ApiError> {
        let mut out = ListQuery {
            limit: limits.default,
            cursor: None,
            filter_text: None,
            filter: None,
        };
        for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match name.as_ref() {
                "limit" => out.limit = parse_limit(&value, limits)?,
                "cursor" => out.cursor = Some(decode_cursor(&value)?),
                "filter" => {
                    out.filter = Some(filter::parse(&value, spec)?);
                    out.filter_text = Some(value.into_owned());
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Where the previous page ended, as a (createdAt, id) position.
    pub(crate) fn after(&self) -> Option<(DateTime<Utc>, &str)> {
        let (millis, id) = self.cursor.as_ref()?;
        let at = DateTime::from_timestamp_millis(*millis)?;
        Some((at, id.as_str()))
    }

    /// Whether an item passes the filter (`lookup` gives an attribute's value).
    pub(crate) fn accepts(&self, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
        self.filter.as_ref().is_none_or(|f| f.matches(lookup))
    }
}

fn parse_limit(value: &str, limits: Limits) -> Result<usize, ApiError> {
    let out_of_range = || {
        ApiError::invalid_data(vec![
            Detail::new(
                "OUT_OF_RANGE",
                format!("limit must be between 1 and {}.", limits.max),
            )
            .target("limit")
            .inner("rangeMinimumValue", json!(1))
            .inner("rangeMaximumValue", json!(limits.max)),
        ])
    };
    match value.trim().parse::<i64>() {
        Ok(n) if n >= 1 && usize::try_from(n).is_ok_and(|n| n <= limits.max) => {
            usize::try_from(n).map_err(|_| out_of_range())
        }
        Ok(_) => Err(out_of_range()),
        Err(_) => Err(ApiError::invalid_data(vec![
            Detail::new("INVALID_VALUE", "limit must be an integer.").target("limit"),
        ])),
    }
}

fn encode_cursor(key: ItemKey<'_>) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", key.0.timestamp_millis(), key.1))
}

fn decode_cursor(value: &str) -> Result<(i64, String), ApiError> {
    let invalid = || {
        ApiError::invalid_data(vec![
            Detail::new("INVALID_VALUE", "The cursor is not valid.").target("cursor"),
        ])
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(value.trim())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (millis, id) = text.split_once(':').ok_or_else(invalid)?;
    Ok((millis.parse().map_err(|_| invalid())?, id.to_owned()))
}

/// One page of a filtered, ordered collection.
#[derive(Debug)]
pub(crate) struct Page<T> {
    /// The items of this page.
    pub(crate) items: Vec<T>,
    /// The number of items in the whole (filtered) collection, when known cheaply; PingOne
    /// too omits `count` for large result sets.
    pub(crate) count: Option<usize>,
    /// The cursor of the next page, if there is one.
    next: Option<String>,
}

impl<T> Page<T> {
    /// The same page with each item transformed.
    pub(crate) fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            count: self.count,
            next: self.next,
        }
    }
}

/// Orders `items` by key, skips past the cursor, and takes one page.
pub(crate) fn paginate<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> ItemKey<'_>,
    query: &ListQuery,
) -> Page<T> {
    items.sort_by(|a, b| key(a).cmp(&key(b)));
    let count = items.len();
    let start = match &query.cursor {
        Some((millis, id)) => items
            .iter()
            .position(|item| {
                let (at, item_id) = key(item);
                (at.timestamp_millis(), item_id) > (*millis, id.as_str())
            })
            .unwrap_or(count),
        None => 0,
    };
    let end = start.saturating_add(query.limit).min(count);
    let next = (end < count && end > start).then(|| encode_cursor(key(&items[end - 1])));
    let items = items.drain(start..end).collect();
    Page {
        items,
        count: Some(count),
        next,
    }
}

/// One page from items already in key order, starting after the cursor, and filtered: takes
/// `limit` of them (and looks at one more to know whether a next page exists), so a page
/// costs O(limit) however large the collection. `count` is the collection's size if known.
pub(crate) fn take_page<T>(
    mut items: impl Iterator<Item = T>,
    key: impl Fn(&T) -> ItemKey<'_>,
    query: &ListQuery,
    count: Option<usize>,
) -> Page<T> {
    let page: Vec<T> = items.by_ref().take(query.limit).collect();
    let more = page.len() == query.limit && items.next().is_some();
    let next = if more {
        page.last().map(|last| encode_cursor(key(last)))
    } else {
        None
    };
    Page {
        items: page,
        count,
        next,
    }
}

/// The HAL envelope of a page, with `_links.self` (the request's URL) and `_links.next`.
pub(crate) fn collection(
    url: &RequestUrl,
    query: &ListQuery,
    key: &str,
    page: Page<Value>,
) -> Value {
    let mut links = Map::new();
    links.insert("self".into(), json!({ "href": url.full() }));
    if let Some(cursor) = &page.next {
        links.insert(
            "next".into(),
            json!({ "href": next_href(url, query, cursor) }),
        );
    }
    let size = page.items.len();
    let mut body = json!({
        "_links": links,
        "_embedded": { key: page.items },
    });
    if let (Some(out), Some(count)) = (body.as_object_mut(), page.count) {
        out.insert("count".into(), json!(count));
    }
    if let Some(out) = body.as_object_mut() {
        out.insert("size".into(), json!(size));
    }
    body
}

fn next_href(url: &RequestUrl, query: &ListQuery, cursor: &str) -> String {
    let mut params = vec![format!("limit={}", query.limit)];
    if let Some(text) = &query.filter_text {
        params.push(format!("filter={}", percent_encode(text)));
    }
    params.push(format!("cursor={}", percent_encode(cursor)));
    format!("{}{}?{}", url.base, url.path, params.join("&"))
}

/// Percent-encodes a query value, with spaces as `%20` rather than `+`.
fn percent_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A `_links` entry: `{"href": ...}`.
pub(crate) fn link(href: String) -> Value {
    json!({ "href": href })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: FilterSpec = FilterSpec {
        attributes: &["name"],
        operators: &["eq", "sw"],
    };
    const LIMITS: Limits = Limits {
        default: 100,
        max: 1000,
    };

    fn items() -> Vec<(DateTime<Utc>, String)> {
        let at = DateTime::from_timestamp_millis(1_700_000_000_000).unwrap_or_default();
        (0..5).map(|i| (at, format!("id-{i}"))).collect()
    }

    fn key(item: &(DateTime<Utc>, String)) -> ItemKey<'_> {
        (item.0, item.1.as_str())
    }

    fn query(raw: &str) -> ListQuery {
        ListQuery::parse(Some(raw), LIMITS, SPEC).expect("query")
    }

    #[test]
    fn pages_follow_cursors_to_the_end() {
        let mut seen = Vec::new();
        let mut raw = "limit=2".to_owned();
        loop {
            let page = paginate(items(), key, &query(&raw));
            assert_eq!(page.count, Some(5));
            seen.extend(page.items.iter().map(|i| i.1.clone()));
            match page.next {
                Some(cursor) => raw = format!("limit=2&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, ["id-0", "id-1", "id-2", "id-3", "id-4"]);
    }

    #[test]
    fn cursor_survives_deletion_of_its_item() {
        let first = paginate(items(), key, &query("limit=2"));
        let cursor = first.next.expect("next");
        let mut fewer = items();
        fewer.remove(1);
        let second = paginate(fewer, key, &query(&format!("limit=2&cursor={cursor}")));
        assert_eq!(
            second
                .items
                .iter()
                .map(|i| i.1.as_str())
                .collect::<Vec<_>>(),
            ["id-2", "id-3"]
        );
    }

    #[test]
    fn bad_parameters_are_invalid_data() {
        for raw in [
            "limit=0",
            "limit=abc",
            "limit=1001",
            "cursor=%%%",
            "cursor=bm9jb2xvbg",
            "filter=x%20eq",
        ] {
            let error = ListQuery::parse(Some(raw), LIMITS, SPEC).expect_err(raw);
            assert_eq!(error.code(), "INVALID_DATA", "{raw}");
        }
    }

    #[test]
    fn envelope_has_links_embedded_count_and_size() {
        let url = RequestUrl {
            base: "http://h".into(),
            path: "/v1/p".into(),
            query: Some("limit=1&filter=name%20sw%20%22a%22".into()),
        };
        let q = query(url.query.as_deref().unwrap_or_default());
        let page = paginate(items(), key, &q);
        let page = page.map(|i| json!(i.1));
        let body = collection(&url, &q, "things", page);
        assert_eq!(
            body["_links"]["self"]["href"],
            "http://h/v1/p?limit=1&filter=name%20sw%20%22a%22"
        );
        let next = body["_links"]["next"]["href"].as_str().unwrap_or_default();
        assert!(
            next.starts_with("http://h/v1/p?limit=1&filter=name%20sw%20%22a%22&cursor="),
            "{next}"
        );
        assert_eq!(
            (body["count"].clone(), body["size"].clone()),
            (json!(5), json!(1))
        );
        assert_eq!(body["_embedded"]["things"], json!(["id-0"]));
    }
}
