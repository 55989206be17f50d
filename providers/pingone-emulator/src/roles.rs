//! PingOne's built-in administrator roles (API.md §5.1, §5.3): names, the scopes each can be
//! assigned at (`applicableTo`), and the permissions each grants.
//!
//! PingOne publishes no role UUIDs (API.md §10.1: clients look roles up by name); the
//! emulator's are fixed so data files and tests stay stable. The permission sets are a
//! representative subset of PingOne's, enough to tell the roles apart the way PingOne does:
//! Identity Data Admin manages users, groups and populations but not applications or
//! environments; only Client Application Developer, Application Owner and Environment Admin
//! read client secrets; only Organization Admin and Environment Admin create environments.

/// A permission ID, such as `core:read:user` (`<service>:<action>:<resource>`).
pub(crate) type Permission = &'static str;

/// A built-in role.
#[derive(Debug)]
pub(crate) struct Role {
    /// The role's fixed ID.
    pub(crate) id: &'static str,
    /// The role's name (`EnumRoleName`).
    pub(crate) name: &'static str,
    /// What the role is for.
    pub(crate) description: &'static str,
    /// The scope types it can be assigned at.
    pub(crate) applicable_to: &'static [&'static str],
    /// The permissions it grants.
    pub(crate) permissions: &'static [Permission],
}

/// Organization Admin.
pub(crate) const ORGANIZATION_ADMIN: &str = "b1e00000-0000-4000-8000-000000000001";
/// Environment Admin.
pub(crate) const ENVIRONMENT_ADMIN: &str = "b1e00000-0000-4000-8000-000000000002";
/// Identity Data Admin.
pub(crate) const IDENTITY_DATA_ADMIN: &str = "b1e00000-0000-4000-8000-000000000003";
/// Client Application Developer.
pub(crate) const CLIENT_APPLICATION_DEVELOPER: &str = "b1e00000-0000-4000-8000-000000000005";

const ENV_READ: &[Permission] = &[
    "orgmgt:read:environment",
    "orgmgt:read:organization",
    "orgmgt:read:license",
];
const ENV_WRITE: &[Permission] = &[
    "orgmgt:create:environment",
    "orgmgt:update:environment",
    "orgmgt:delete:environment",
];
const USERS_READ: &[Permission] = &[
    "core:read:user",
    "core:read:userPassword",
    "core:read:population",
    "core:read:group",
    "core:read:groupMembership",
];
const USERS_WRITE: &[Permission] = &[
    "core:create:user",
    "core:update:user",
    "core:delete:user",
    "core:update:userPassword",
    "core:update:userPopulation",
    "core:create:population",
    "core:update:population",
    "core:delete:population",
    "core:create:group",
    "core:update:group",
    "core:delete:group",
    "core:create:groupMembership",
    "core:delete:groupMembership",
];
const APPS_READ: &[Permission] = &["core:read:application"];
const APPS_WRITE: &[Permission] = &[
    "core:create:application",
    "core:update:application",
    "core:delete:application",
];
const SECRETS: &[Permission] = &[
    "core:read:applicationSecret",
    "core:update:applicationSecret",
];
const POLICIES_READ: &[Permission] = &["core:read:passwordPolicy", "core:read:signOnPolicy"];
const ASSIGNMENTS: &[Permission] = &[
    "core:read:roleAssignment",
    "core:create:roleAssignment",
    "core:delete:roleAssignment",
];

macro_rules! perms {
    ($($set:expr),* $(,)?) => {{
        const SETS: &[&[Permission]] = &[$($set),*];
        const LEN: usize = {
            let mut n = 0;
            let mut i = 0;
            while i < SETS.len() {
                n += SETS[i].len();
                i += 1;
            }
            n
        };
        const ALL: [Permission; LEN] = {
            let mut out = [""; LEN];
            let (mut n, mut i) = (0, 0);
            while i < SETS.len() {
                let mut j = 0;
                while j < SETS[i].len() {
                    out[n] = SETS[i][j];
                    n += 1;
                    j += 1;
                }
                i += 1;
            }
            out
        };
        &ALL
    }};
}

const ORG: &str = "ORGANIZATION";
const ENV: &str = "ENVIRONMENT";
const POP: &str = "POPULATION";
const APP: &str = "APPLICATION";

/// Every built-in role.
pub(crate) static ROLES: &[Role] = &[
    Role {
        id: ORGANIZATION_ADMIN,
        name: "Organization Admin",
        description: "Manages the organization: its environments, licenses and administrators.",
        applicable_to: &[ORG],
        permissions: perms!(
            ENV_READ,
            ENV_WRITE,
            &["orgmgt:update:organization"],
            ASSIGNMENTS
        ),
    },
    Role {
        id: ENVIRONMENT_ADMIN,
        name: "Environment Admin",
        description: "Manages environments and everything in them.",
        applicable_to: &[ORG, ENV],
        permissions: perms!(
            ENV_READ,
            ENV_WRITE,
            USERS_READ,
            USERS_WRITE,
            APPS_READ,
            APPS_WRITE,
            SECRETS,
            POLICIES_READ,
            ASSIGNMENTS
        ),
    },
    Role {
        id: IDENTITY_DATA_ADMIN,
        name: "Identity Data Admin",
        description: "Manages users, groups and populations.",
        applicable_to: &[ENV, POP],
        permissions: perms!(
            &["orgmgt:read:environment"],
            USERS_READ,
            USERS_WRITE,
            ASSIGNMENTS
        ),
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000004",
        name: "Identity Data Read Only",
        description: "Reads users, groups and populations.",
        applicable_to: &[ENV, POP],
        permissions: perms!(&["orgmgt:read:environment"], USERS_READ),
    },
    Role {
        id: CLIENT_APPLICATION_DEVELOPER,
        name: "Client Application Developer",
        description: "Manages applications and their secrets.",
        applicable_to: &[ENV],
        permissions: perms!(
            &["orgmgt:read:environment"],
            APPS_READ,
            APPS_WRITE,
            SECRETS,
            ASSIGNMENTS
        ),
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000006",
        name: "Application Owner",
        description: "Manages the applications it is assigned.",
        applicable_to: &[ENV, APP],
        permissions: perms!(APPS_READ, &["core:update:application"], SECRETS),
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000007",
        name: "Configuration Read Only",
        description: "Reads environment configuration.",
        applicable_to: &[ORG, ENV],
        permissions: perms!(
            ENV_READ,
            &["core:read:population", "core:read:roleAssignment"],
            APPS_READ,
            POLICIES_READ
        ),
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000008",
        name: "Custom Roles Admin",
        description: "Manages custom administrator roles.",
        applicable_to: &[ORG, ENV],
        permissions: perms!(
            &["orgmgt:read:environment"],
            &[
                "core:read:customRole",
                "core:create:customRole",
                "core:update:customRole",
                "core:delete:customRole"
            ]
        ),
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000009",
        name: "DaVinci Admin",
        description: "Manages DaVinci flows, connectors and variables.",
        applicable_to: &[ORG, ENV],
        permissions: &[
            "orgmgt:read:environment",
            "davinci:read:flow",
            "davinci:update:flow",
        ],
    },
    Role {
        id: "b1e00000-0000-4000-8000-00000000000a",
        name: "DaVinci Admin Read Only",
        description: "Reads DaVinci configuration.",
        applicable_to: &[ORG, ENV],
        permissions: &["orgmgt:read:environment", "davinci:read:flow"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-00000000000b",
        name: "Help Desk Admin",
        description: "Helps users: reads them, resets passwords, unlocks accounts.",
        applicable_to: &[ENV, POP],
        permissions: &[
            "orgmgt:read:environment",
            "core:read:user",
            "core:read:userPassword",
            "core:update:userPassword",
        ],
    },
    Role {
        id: "b1e00000-0000-4000-8000-00000000000c",
        name: "Advanced Identity Cloud Super Admin",
        description: "Administers Advanced Identity Cloud tenants.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-00000000000d",
        name: "Advanced Identity Cloud Tenant Admin",
        description: "Administers an Advanced Identity Cloud tenant.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-00000000000e",
        name: "Authorize Gateway Policy Evaluator",
        description: "Evaluates PingOne Authorize policies from a gateway.",
        applicable_to: &[ENV],
        permissions: &["authorize:evaluate:policy"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-00000000000f",
        name: "PingFederate Administrator",
        description: "Administers a PingFederate deployment.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000010",
        name: "PingFederate Auditor",
        description: "Reads a PingFederate deployment's configuration.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000011",
        name: "PingFederate Crypto Administrator",
        description: "Manages a PingFederate deployment's keys and certificates.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000012",
        name: "PingFederate Expression Administrator",
        description: "Manages a PingFederate deployment's expressions.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
    Role {
        id: "b1e00000-0000-4000-8000-000000000013",
        name: "PingFederate User Administrator",
        description: "Manages a PingFederate deployment's administrators.",
        applicable_to: &[ENV],
        permissions: &["orgmgt:read:environment"],
    },
];

/// The built-in role with this ID.
pub(crate) fn role(id: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Whether the role grants the permission.
pub(crate) fn grants(role_id: &str, permission: &str) -> bool {
    role(role_id).is_some_and(|r| r.permissions.contains(&permission))
}

/// A permission's `classifier` (its resource) and a description, for `GET /roles`.
pub(crate) fn describe(permission: &str) -> (String, String) {
    let mut parts = permission.splitn(3, ':');
    let (_, action, resource) = (parts.next(), parts.next(), parts.next());
    let (action, resource) = (action.unwrap_or_default(), resource.unwrap_or_default());
    (
        resource.to_owned(),
        format!("Allows the {action} operation on {resource} resources."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique() {
        let mut ids: Vec<_> = ROLES.iter().map(|r| r.id).collect();
        let mut names: Vec<_> = ROLES.iter().map(|r| r.name).collect();
        ids.sort_unstable();
        names.sort_unstable();
        ids.dedup();
        names.dedup();
        assert_eq!((ids.len(), names.len()), (ROLES.len(), ROLES.len()));
        assert!(ROLES.iter().all(|r| uuid::Uuid::parse_str(r.id).is_ok()));
    }

    #[test]
    fn roles_differ_the_way_pingone_documents() {
        assert!(grants(IDENTITY_DATA_ADMIN, "core:create:user"));
        assert!(!grants(IDENTITY_DATA_ADMIN, "core:create:application"));
        assert!(!grants(IDENTITY_DATA_ADMIN, "core:read:applicationSecret"));
        assert!(grants(
            CLIENT_APPLICATION_DEVELOPER,
            "core:read:applicationSecret"
        ));
        assert!(grants(ORGANIZATION_ADMIN, "orgmgt:create:environment"));
        assert!(!grants(ORGANIZATION_ADMIN, "core:create:user"));
        assert_eq!(
            role(ORGANIZATION_ADMIN).map(|r| r.applicable_to),
            Some(&[ORG][..])
        );
    }

    #[test]
    fn permissions_describe_their_resource() {
        assert_eq!(describe("core:read:user").0, "user");
    }
}
