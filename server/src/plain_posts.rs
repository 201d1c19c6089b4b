//! A form the browser posts itself to a server function (every form: the
//! pages are the server's HTML) is answered with a redirect back to its
//! page, which then cannot tell that it went well: a refusal is in the
//! address (`__err`, by `server_fn`), a success is not. This adds
//! `__done=<the server function's path>` to such a redirect back, so that
//! the form's message (`ActionMessage` with `done`) says it was saved, and
//! drops an earlier answer's parameters, so that it is not shown again.
use app::{ANSWER_PARAMS, DONE_PARAM};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

pub async fn mark_done(req: Request, next: Next) -> Response {
    let plain = req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if !plain {
        return next.run(req).await;
    }
    let function = req.uri().path().to_owned();
    let referer = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut res = next.run(req).await;
    if !res.status().is_redirection() {
        return res;
    }
    let marked = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .zip(referer.as_deref())
        .and_then(|(location, referer)| with_done(location, referer, &function))
        .and_then(|l| HeaderValue::from_str(&l).ok());
    if let Some(location) = marked {
        res.headers_mut().insert(header::LOCATION, location);
    }
    res
}

/// The way back of a plain post to `function`, cleaned: when `location` is
/// `server_fn`'s way back to the page the form was on (`referer`: the same
/// path and query, but for an earlier answer's parameters), the earlier
/// answer's parameters go (so it is never shown again), and the new answer
/// is `__done=function` or, for a refusal, the `__path` and `__err` that
/// `server_fn` appended. `None` leaves the redirect as it is: a server
/// function that sends the person on (to another page, or to the same one
/// saying what it did, as the patrol log's `?recorded=` or
/// `server::back_saying`, which marks its own answer).
fn with_done(location: &str, referer: &str, function: &str) -> Option<String> {
    let (target, fragment) = split_once_or_all(location, '#');
    let (path, query) = split_once_or_all(target, '?');
    let pairs = query_pairs(query)?;
    let (back_path, back_query) = split_once_or_all(referer.split('#').next()?, '?');
    let unanswered = |pairs: &[(String, String)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .filter(|(k, _)| !ANSWER_PARAMS.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    if path_of(path)? != path_of(back_path)?
        || unanswered(&pairs) != unanswered(&query_pairs(back_query)?)
        || pairs.iter().any(|(k, v)| k == DONE_PARAM && v == function)
    {
        return None;
    }
    // `server_fn` appends its refusal after the page's own query.
    let last = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).cloned();
    let answer = match (last("__path"), last("__err")) {
        (Some(at), Some(err)) => vec![at, err],
        _ => vec![(DONE_PARAM.to_owned(), function.to_owned())],
    };
    let mut kept = unanswered(&pairs);
    kept.extend(answer);
    let query = serde_urlencoded::to_string(&kept).ok()?;
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    Some(format!("{path}?{query}{fragment}"))
}

fn query_pairs(query: Option<&str>) -> Option<Vec<(String, String)>> {
    serde_urlencoded::from_str(query.unwrap_or("")).ok()
}

fn split_once_or_all(s: &str, at: char) -> (&str, Option<&str>) {
    match s.split_once(at) {
        Some((head, tail)) => (head, Some(tail)),
        None => (s, None),
    }
}

/// The path of an address, absolute (`http://host/path`) or not.
fn path_of(address: &str) -> Option<&str> {
    let path = match address.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => address,
    };
    path.starts_with('/').then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_is_marked_with_the_function_that_succeeded() {
        let back = with_done(
            "http://127.0.0.1:3000/admin/tiers?x=1",
            "http://127.0.0.1:3000/admin/tiers?x=1",
            "/api/tiers/save",
        );
        assert_eq!(
            back.as_deref(),
            Some("http://127.0.0.1:3000/admin/tiers?x=1&__done=%2Fapi%2Ftiers%2Fsave")
        );
        // An earlier mark (or refusal) gives way; a fragment stays last.
        let again = with_done(
            "/admin/tiers?__done=%2Fapi%2Fold#tier-3",
            "http://host/admin/tiers?__path=%2Fapi%2Ftiers%2Fsave&__err=abc",
            "/api/tiers/save",
        );
        assert_eq!(
            again.as_deref(),
            Some("/admin/tiers?__done=%2Fapi%2Ftiers%2Fsave#tier-3")
        );
    }

    #[test]
    fn a_refusal_replaces_an_earlier_answer() {
        let refused = with_done(
            "http://host/admin/areas?added=7&__done=%2Fapi%2Fareas%2Fcreate&__path=%2Fapi%2Fareas%2Frename&__err=abc",
            "http://host/admin/areas?added=7&__done=%2Fapi%2Fareas%2Fcreate",
            "/api/areas/rename",
        );
        assert_eq!(
            refused.as_deref(),
            Some("http://host/admin/areas?__path=%2Fapi%2Fareas%2Frename&__err=abc")
        );
        // And a success after a refusal or an earlier answer.
        let saved = with_done(
            "/queue?colour=red&assigned=3&refused=FQ-1&__done=%2Fapi%2Fqueue%2Fassign",
            "http://host/queue?colour=red&assigned=3&refused=FQ-1&__done=%2Fapi%2Fqueue%2Fassign",
            "/api/queue/colour",
        );
        assert_eq!(
            saved.as_deref(),
            Some("/queue?colour=red&__done=%2Fapi%2Fqueue%2Fcolour")
        );
    }

    #[test]
    fn another_page_or_an_answer_of_its_own_is_left_as_it_is() {
        assert_eq!(with_done("/", "http://host/login", "/api/login"), None);
        assert_eq!(
            with_done(
                "/cases/FQ-2026-000001",
                "http://host/cases/new",
                "/api/cases/report"
            ),
            None
        );
        assert_eq!(with_done("/admin/tiers", "not an address", "/api/x"), None);
        // The same page, saying what it did in its own words.
        assert_eq!(
            with_done(
                "/patrols?recorded=5",
                "http://host/patrols",
                "/api/patrols/record"
            ),
            None
        );
        assert_eq!(
            with_done(
                "/admin/areas?added=8&__done=%2Fapi%2Fareas%2Fcreate",
                "http://host/admin/areas?added=7&__done=%2Fapi%2Fareas%2Fcreate",
                "/api/areas/create"
            ),
            None
        );
    }
}
