//! `GET /v1/organizations[/{id}[/licenses[/{id}]]]` (API.md §2.2, "Licenses").
//!
//! An organization other than the emulator's answers 403 `ACCESS_FAILED` ("You do not have
//! access to this resource"), as PingOne does for organizations the caller cannot see.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{ok, timestamp};
use crate::Emulator;
use crate::api_error::{ApiError, NOT_FOUND_MESSAGE};
use crate::extract::{PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::{License, Organization, TenantData};

const NO_FILTER: FilterSpec = FilterSpec {
    attributes: &[],
    operators: &[],
};
const LICENSE_FILTER: FilterSpec = FilterSpec {
    attributes: &["name", "package", "status"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};

fn organization_json(org: &Organization, url: &RequestUrl) -> Value {
    json!({
        "_links": { "self": link(url.at(&format!("/v1/organizations/{}", org.id))) },
        "id": org.id,
        "name": org.name,
        "description": org.description,
        "type": org.kind,
        "createdAt": timestamp(org.created_at),
        "updatedAt": timestamp(org.updated_at),
    })
}

fn license_json(data: &TenantData, license: &License, url: &RequestUrl) -> Value {
    let org_id = &data.organization.id;
    let assigned = data
        .environments
        .iter()
        .filter(|e| e.license_id == license.id)
        .count();
    json!({
        "_links": { "self": link(url.at(&format!("/v1/organizations/{org_id}/licenses/{}", license.id))) },
        "id": license.id,
        "name": license.name,
        "package": license.package,
        "status": license.status,
        "organization": { "id": org_id },
        "beginsAt": timestamp(license.begins_at),
        "assignedEnvironmentsCount": assigned,
        "environments": {
            "allowProduction": license.allow_production,
            "max": license.max_environments,
            "regions": license.regions.iter().map(|r| license_region(r)).collect::<Vec<_>>(),
        },
    })
}

/// A license names North America `NORTH_AMERICA` (`EnumRegionCodeLicense`), where an
/// environment says `NA` (`EnumRegionCode`).
fn license_region(code: &str) -> &str {
    match code {
        "NA" => "NORTH_AMERICA",
        other => other,
    }
}

fn require_organization(data: &TenantData, org_id: &str) -> Result<(), ApiError> {
    if data.organization.id == org_id {
        Ok(())
    } else {
        Err(ApiError::no_access())
    }
}

/// `GET /v1/organizations`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, NO_FILTER)?;
    let body = emulator.store().read(|data| {
        let page = hal::paginate(
            vec![&data.organization],
            |o| (o.created_at, o.id.as_str()),
            &query,
        );
        hal::collection(
            &url,
            &query,
            "organizations",
            page.map(|o| organization_json(o, &url)),
        )
    });
    Ok(ok(StatusCode::OK, &body))
}

/// `GET /v1/organizations/{id}`.
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams(org_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        require_organization(data, &org_id)?;
        Ok(ok(
            StatusCode::OK,
            &organization_json(&data.organization, &url),
        ))
    })
}

/// `GET /v1/organizations/{id}/licenses`.
pub(super) async fn licenses(
    State(emulator): State<Emulator>,
    PathParams(org_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, LICENSE_FILTER)?;
    emulator.store().read(|data| {
        require_organization(data, &org_id)?;
        let matching: Vec<&License> = data
            .licenses
            .iter()
            .filter(|l| query.accepts(&|a| license_attribute(l, a)))
            .collect();
        let page = hal::paginate(matching, |l| (l.begins_at, l.id.as_str()), &query);
        let body = hal::collection(
            &url,
            &query,
            "licenses",
            page.map(|l| license_json(data, l, &url)),
        );
        Ok(ok(StatusCode::OK, &body))
    })
}

fn license_attribute(license: &License, name: &str) -> Option<String> {
    match name {
        "name" => Some(license.name.clone()),
        "package" => Some(license.package.clone()),
        "status" => Some(license.status.clone()),
        _ => None,
    }
}

/// `GET /v1/organizations/{id}/licenses/{licenseId}`.
pub(super) async fn license(
    State(emulator): State<Emulator>,
    PathParams((org_id, license_id)): PathParams<(String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        require_organization(data, &org_id)?;
        let license = data
            .licenses
            .iter()
            .find(|l| l.id == license_id)
            .ok_or_else(|| ApiError::not_found(NOT_FOUND_MESSAGE))?;
        Ok(ok(StatusCode::OK, &license_json(data, license, &url)))
    })
}
