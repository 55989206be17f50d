//! HAL paging: follow `_links.next.href` until it is absent, collecting `_embedded.<plural>`.
//!
//! The next link is followed verbatim (it carries PingOne's cursor), but only to the
//! configured API origin: the bearer token must never be sent anywhere else.

use std::collections::HashSet;

use reqwest::Method;
use url::Url;

use super::{Client, ClientError};

impl Client {
    /// Every item of a collection: `GET /v1/<segments>?limit=<page_limit>`, then each
    /// `_links.next.href`, gathering the `_embedded.<plural>` arrays in order.
    pub async fn list_all(
        &self,
        segments: &[&str],
        plural: &str,
    ) -> Result<Vec<serde_json::Value>, ClientError> {
        let mut url = self.url(segments);
        url.query_pairs_mut()
            .append_pair("limit", &self.page_limit_for(plural).to_string());
        self.list_from(url, plural).await
    }

    /// Like [`Client::list_all`], with a SCIM `filter` (such as `name eq "x"`).
    pub async fn list_all_filtered(
        &self,
        segments: &[&str],
        plural: &str,
        filter: &str,
    ) -> Result<Vec<serde_json::Value>, ClientError> {
        let mut url = self.url(segments);
        url.query_pairs_mut()
            .append_pair("filter", filter)
            .append_pair("limit", &self.page_limit_for(plural).to_string());
        self.list_from(url, plural).await
    }

    /// Like [`Client::list_all`], with extra query parameters (such as `expand`).
    pub async fn list_all_with(
        &self,
        segments: &[&str],
        plural: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<serde_json::Value>, ClientError> {
        let mut url = self.url(segments);
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
            pairs.append_pair("limit", &self.page_limit_for(plural).to_string());
        }
        self.list_from(url, plural).await
    }

    /// The `limit` asked for on a list of `plural`: the configured page size, capped at
    /// [`documented_page_limit`]. Fewer, larger pages matter: a collection's pages
    /// follow one another.
    fn page_limit_for(&self, plural: &str) -> u32 {
        self.page_limit().min(documented_page_limit(plural))
    }

    async fn list_from(
        &self,
        url: Url,
        plural: &str,
    ) -> Result<Vec<serde_json::Value>, ClientError> {
        let mut walk = PageWalk::new(url);
        let mut items = Vec::new();
        while let Some(page) = walk.next(self, plural).await? {
            items.extend(page);
        }
        Ok(items)
    }

    /// The pages of a collection, as [`Client::list_all`] reads them, handed over one at
    /// a time while the next one is already being fetched (by a task of its own), so
    /// that a caller can convert a page while PingOne answers the next. After an error
    /// the receiver yields nothing more.
    pub fn pages(
        &self,
        segments: &[&str],
        plural: &str,
    ) -> tokio::sync::mpsc::Receiver<Result<Vec<serde_json::Value>, ClientError>> {
        let mut url = self.url(segments);
        url.query_pairs_mut()
            .append_pair("limit", &self.page_limit_for(plural).to_string());
        // Room for one page read ahead: enough to overlap, without buffering a collection.
        let (sender, receiver) = tokio::sync::mpsc::channel(1);
        let (client, plural) = (self.clone(), plural.to_string());
        tokio::spawn(async move {
            let mut walk = PageWalk::new(url);
            loop {
                let page = walk.next(&client, &plural).await.transpose();
                let last = !matches!(page, Some(Ok(_)));
                // A send fails when the caller stopped listening: stop reading too.
                let sent = match page {
                    Some(page) => sender.send(page).await.is_ok(),
                    None => false,
                };
                if last || !sent {
                    break;
                }
            }
        });
        receiver
    }

    /// The page's `_links.next.href`, resolved against the page URL and checked to stay
    /// on the API's origin.
    fn next_link(&self, page: &serde_json::Value, url: &Url) -> Result<Option<Url>, ClientError> {
        let Some(href) = page.pointer("/_links/next/href") else {
            return Ok(None);
        };
        let Some(href) = href.as_str() else {
            return Err(unexpected(url, "_links.next.href is not a string"));
        };
        let next = url.join(href).map_err(|e| {
            unexpected(url, &format!("_links.next.href {href:?} is not a URL: {e}"))
        })?;
        if next.origin() != self.api_url().origin() {
            return Err(unexpected(
                url,
                &format!(
                    "_links.next.href {next} leaves {}; refusing to send the access token there",
                    self.api_url()
                ),
            ));
        }
        Ok(Some(next))
    }
}

/// The largest page PingOne documents for a collection (API.md §3–§4: 1,000 for
/// users, groups and environments); others are not documented, so a cautious 500.
pub fn documented_page_limit(plural: &str) -> u32 {
    match plural {
        "users" | "groups" | "environments" => 1000,
        _ => 500,
    }
}

/// Where a walk through a collection's pages stands: the next page to read, and
/// the pages read (a next link that points back is an error, not an endless loop).
struct PageWalk {
    next: Option<Url>,
    seen: HashSet<String>,
}

impl PageWalk {
    fn new(first: Url) -> Self {
        Self {
            next: Some(first),
            seen: HashSet::new(),
        }
    }

    /// The items of the next page; `None` after the last page.
    async fn next(
        &mut self,
        client: &Client,
        plural: &str,
    ) -> Result<Option<Vec<serde_json::Value>>, ClientError> {
        let Some(url) = self.next.take() else {
            return Ok(None);
        };
        self.seen.insert(url.to_string());
        let page = client.execute(Method::GET, url.clone(), None).await?;
        let next = client.next_link(&page, &url)?;
        if let Some(next) = &next
            && self.seen.contains(next.as_str())
        {
            return Err(unexpected(
                &url,
                "the next-page link points to a page already read",
            ));
        }
        self.next = next;
        embedded(page, plural, &url).map(Some)
    }
}

/// The items of one page; a page without `_embedded.<plural>` has none.
fn embedded(
    mut page: serde_json::Value,
    plural: &str,
    url: &Url,
) -> Result<Vec<serde_json::Value>, ClientError> {
    if !page.is_object() {
        return Err(unexpected(url, "a list page is not a JSON object"));
    }
    match page
        .get_mut("_embedded")
        .and_then(|e| e.get_mut(plural))
        .map(serde_json::Value::take)
    {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::Array(items)) => Ok(items),
        Some(_) => Err(unexpected(
            url,
            &format!("_embedded.{plural} is not an array"),
        )),
    }
}

fn unexpected(url: &Url, problem: &str) -> ClientError {
    ClientError::Unexpected {
        url: url.to_string(),
        problem: problem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("http://127.0.0.1:1/v1/environments/e/populations").unwrap()
    }

    #[test]
    fn embedded_items_are_collected_or_empty() {
        let page = serde_json::json!({"_embedded": {"populations": [{"id": "a"}, {"id": "b"}]}});
        assert_eq!(embedded(page, "populations", &url()).unwrap().len(), 2);
        let empty = serde_json::json!({"_links": {"self": {"href": "x"}}});
        assert!(embedded(empty, "populations", &url()).unwrap().is_empty());
        assert!(embedded(serde_json::json!([]), "populations", &url()).is_err());
        let wrong = serde_json::json!({"_embedded": {"populations": {}}});
        assert!(embedded(wrong, "populations", &url()).is_err());
    }
}
