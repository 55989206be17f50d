//! The provider contract: what the engine asks of a provider such as PingOne.
//!
//! A provider declares a schema per resource type and implements bulk reads and
//! writes. Each method takes a plain request struct so the contract can grow.
//! Diffing is generic over the schema and lives in `plan`, not in providers.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::eval::value::Value;

/// The type of an attribute's value.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrType {
    /// A string.
    String,
    /// A boolean.
    Bool,
    /// A number.
    Number,
    /// An ordered list of one element type.
    List(Box<AttrType>),
    /// An unordered set of one element type.
    Set(Box<AttrType>),
    /// A map from strings to one element type.
    Map(Box<AttrType>),
    /// An object with named attributes (a nested attribute such as `password_policy = { id = ... }`).
    Object(BTreeMap<String, AttrType>),
}

/// What strings an attribute accepts beyond its type (each element's, for a list or set
/// of strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One of these values, as PingOne spells them.
    OneOf(&'static [&'static str]),
    /// A PingOne resource ID: a UUID such as `4a3b1c2d-0e9f-4a8b-9c7d-6e5f4a3b2c1d`.
    Uuid,
}

impl Format {
    /// Whether `value` is well formed.
    pub fn accepts(&self, value: &str) -> bool {
        match self {
            Format::OneOf(values) => values.contains(&value),
            Format::Uuid => is_uuid(value),
        }
    }
}

/// Whether `value` is a UUID in its 8-4-4-4-12 hexadecimal form.
pub fn is_uuid(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, len)| p.len() == len && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Who sets an attribute: the configuration, the provider, or either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Must be set in configuration.
    Required,
    /// May be set in configuration; null when not set.
    Optional,
    /// Set by the provider only ("known after apply" on create).
    Computed,
    /// May be set in configuration; when not set, the provider's value is kept.
    OptionalComputed,
}

/// The schema of one attribute.
#[derive(Clone, Debug)]
pub struct AttributeSchema {
    /// The value's type.
    pub ty: AttrType,
    /// Required, optional or computed.
    pub presence: Presence,
    /// Changing it replaces the object (PingOne cannot update it in place).
    pub force_new: bool,
    /// Setting or removing it (null to a value, or back) replaces the object, while
    /// changes inside it update in place: Terraform's `RequiresReplaceIfExistenceChanges`,
    /// as for `pingone_application.saml_options`.
    pub force_new_on_presence: bool,
    /// Keys of an object attribute whose change replaces the object (such as
    /// `oidc_options.type`), or dotted paths into its nested objects
    /// (`mobile_app.bundle_id`); other keys update in place.
    pub force_new_keys: Vec<&'static str>,
    /// Masked in plans and output.
    pub sensitive: bool,
    /// Sent to the provider on create but never read back (such as an initial password):
    /// the provider returns it as null, so the engine must not compare it with the
    /// configuration when planning (or every plan would show a change).
    pub write_only: bool,
    /// A secret the provider reads back but that state keeps only as a salted
    /// fingerprint (see `plan::sealed`): the fingerprint changes when the secret does,
    /// and gives nothing away. The configuration cannot refer to it; the text says how
    /// to read the secret live instead (a data source, say).
    pub sealed: Option<&'static str>,
    /// Dotted paths inside an object attribute whose values are write-only secrets
    /// (sent, never read back): state keeps a sealed copy of each, plans compare the
    /// configured value with it, and show the attribute masked while any is set
    /// (see `plan::secret_leaves`).
    pub write_only_keys: Vec<&'static str>,
    /// The value used when configuration leaves an optional attribute unset.
    pub default: Option<Value>,
    /// One line for `validate` messages and documentation.
    pub description: &'static str,
    /// The strings it accepts (each element's, for a list or set of strings); any
    /// string of its type when `None`.
    pub format: Option<Format>,
    /// For an object, or a list, set or map of objects: the schema of each attribute
    /// inside (presence, format, and their own nested attributes), by name. Attributes
    /// of the type that are missing here are optional and unconstrained.
    pub nested: BTreeMap<String, AttributeSchema>,
}

impl AttributeSchema {
    /// An attribute of type `ty` with the given presence and no other properties.
    pub fn new(ty: AttrType, presence: Presence, description: &'static str) -> Self {
        Self {
            ty,
            presence,
            force_new: false,
            force_new_on_presence: false,
            force_new_keys: Vec::new(),
            sensitive: false,
            write_only: false,
            sealed: None,
            write_only_keys: Vec::new(),
            default: None,
            description,
            format: None,
            nested: BTreeMap::new(),
        }
    }

    /// Accepts only these strings (see [`AttributeSchema::format`]).
    pub fn one_of(mut self, values: &'static [&'static str]) -> Self {
        self.format = Some(Format::OneOf(values));
        self
    }

    /// Accepts only PingOne IDs (UUIDs).
    pub fn uuid(mut self) -> Self {
        self.format = Some(Format::Uuid);
        self
    }

    /// Declares the schema of one attribute inside an object (or inside each object of a
    /// list, set or map of objects).
    pub fn nested(mut self, name: &str, schema: AttributeSchema) -> Self {
        self.nested.insert(name.to_string(), schema);
        self
    }

    /// Marks the attribute as forcing replacement when it changes.
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }

    /// Marks the attribute as replacing the object when it is set or removed
    /// (see [`AttributeSchema::force_new_on_presence`]).
    pub fn force_new_on_presence(mut self) -> Self {
        self.force_new_on_presence = true;
        self
    }

    /// Marks keys of an object attribute as replacing the object when they change.
    pub fn force_new_keys(mut self, keys: &[&'static str]) -> Self {
        self.force_new_keys.extend_from_slice(keys);
        self
    }

    /// Marks the attribute as sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Marks the attribute as write-only (see [`AttributeSchema::write_only`]).
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    /// Marks the attribute as a secret kept only as a fingerprint; `read_live` says
    /// how to read it instead (see [`AttributeSchema::sealed`]).
    pub fn sealed(mut self, read_live: &'static str) -> Self {
        self.sealed = Some(read_live);
        self
    }

    /// Marks secrets inside an object attribute (see [`AttributeSchema::write_only_keys`]).
    pub fn write_only_keys(mut self, paths: &[&'static str]) -> Self {
        self.write_only_keys.extend_from_slice(paths);
        self
    }

    /// Gives the attribute a default for when configuration leaves it unset.
    pub fn default_value(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }
}

/// The schema of a resource type or of the provider block.
#[derive(Clone, Debug, Default)]
pub struct BlockSchema {
    /// Attributes by name.
    pub attributes: BTreeMap<String, AttributeSchema>,
    /// The attributes an import ID names, in order, joined by `/` (such as
    /// `environment_id/id`); empty when the type cannot be imported.
    pub import_id: Vec<String>,
    /// Whether one part of an import ID is well formed (the provider's rule, such
    /// as "a UUID"); any non-empty text when `None`.
    pub import_part: Option<fn(&str) -> bool>,
}

impl BlockSchema {
    /// Sets the rule every part of an import ID must follow.
    pub fn import_part(mut self, well_formed: fn(&str) -> bool) -> Self {
        self.import_part = Some(well_formed);
        self
    }

    /// Sets the import ID format: the attributes it names, in order.
    pub fn import_id(mut self, attributes: &[&str]) -> Self {
        self.import_id = attributes.iter().map(|a| a.to_string()).collect();
        self
    }

    /// Adds an attribute.
    pub fn attr(mut self, name: &str, schema: AttributeSchema) -> Self {
        self.attributes.insert(name.to_string(), schema);
        self
    }
}

/// Everything a provider declares.
#[derive(Clone, Debug, Default)]
pub struct ProviderSchema {
    /// The attributes of the `provider "<name>" {}` block.
    pub provider: BlockSchema,
    /// Resource types by name, such as `pingone_population`.
    pub resources: BTreeMap<String, BlockSchema>,
    /// Data source types by name, such as `pingone_role`: their arguments
    /// (required or optional) and the attributes they read (computed).
    pub data_sources: BTreeMap<String, BlockSchema>,
}

impl ProviderSchema {
    /// The schema of a resource or data source type.
    pub fn block(&self, mode: crate::Mode, type_name: &str) -> Option<&BlockSchema> {
        match mode {
            crate::Mode::Managed => self.resources.get(type_name),
            crate::Mode::Data => self.data_sources.get(type_name),
        }
    }
}

/// A data source to read, with its evaluated (and wholly known) arguments.
#[derive(Clone, Debug)]
pub struct ReadDataRequest {
    /// The data source type, such as `pingone_role`.
    pub type_name: String,
    /// The data source's address, for error messages.
    pub address: String,
    /// The arguments, as an object.
    pub config: Value,
}

/// One object the engine manages, as a read request names it.
#[derive(Clone, Debug)]
pub struct ObjectRef {
    /// The object's address, for error messages.
    pub address: String,
    /// Its attributes as last recorded in state (including `id`).
    pub prior: Value,
}

/// Refresh many objects of one type at once.
#[derive(Clone, Debug)]
pub struct ReadManyRequest {
    /// The resource type.
    pub type_name: String,
    /// The objects to refresh.
    pub objects: Vec<ObjectRef>,
}

/// The result of [`Provider::read_many`].
#[derive(Clone, Debug)]
pub struct ReadManyResponse {
    /// One entry per requested object, in request order: its live attributes,
    /// or `None` when it no longer exists.
    pub objects: Vec<Option<Value>>,
}

/// Create one object.
#[derive(Clone, Debug)]
pub struct CreateRequest {
    /// The resource type.
    pub type_name: String,
    /// The object's address, for error messages.
    pub address: String,
    /// The planned attributes; computed ones are [`Value::Unknown`].
    pub planned: Value,
}

/// Update one object in place.
#[derive(Clone, Debug)]
pub struct UpdateRequest {
    /// The resource type.
    pub type_name: String,
    /// The object's address, for error messages.
    pub address: String,
    /// Its attributes before the update.
    pub prior: Value,
    /// The planned attributes.
    pub planned: Value,
}

/// Delete one object.
#[derive(Clone, Debug)]
pub struct DeleteRequest {
    /// The resource type.
    pub type_name: String,
    /// The object's address, for error messages.
    pub address: String,
    /// Its attributes before the delete.
    pub prior: Value,
}

/// Look an object up by its natural key (such as a population's environment and
/// name), to adopt what a create that died before its answer was recorded made.
#[derive(Clone, Debug)]
pub struct FindRequest {
    /// The resource type.
    pub type_name: String,
    /// The object's address, for error messages.
    pub address: String,
    /// The attributes the create was planned with, as recorded in the intent
    /// (known, non-sensitive ones only).
    pub planned: Value,
}

/// The result of [`Provider::find`].
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// The object exists; all its attributes, as `create` would have returned them.
    Object(Value),
    /// No object has that natural key.
    Nothing,
    /// The provider cannot look this type up by natural key.
    Unsupported,
}

/// What kind of failure a provider reports; the CLI words its hints by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderErrorKind {
    /// The provider's settings are missing or invalid.
    Configuration,
    /// The service could not be reached or answered with something that is not its API.
    Connection,
    /// The service refused the request.
    Api,
}

/// A failure reported by a provider, already worded for the user.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    /// What kind of failure it is.
    pub kind: ProviderErrorKind,
    /// The whole message: operation, object, the service's code and words.
    pub message: String,
    /// For a create refused because the object already exists (same natural key): the
    /// existing object's `id`, so the engine can tell whether it already manages it at
    /// another address (then importing it, as the message may advise, would be wrong).
    pub existing_id: Option<String>,
}

impl ProviderError {
    /// Builds an error of the given kind.
    pub fn new(kind: ProviderErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            existing_id: None,
        }
    }

    /// Names the existing object that refused a create (see [`ProviderError::existing_id`]).
    pub fn with_existing_id(mut self, id: impl Into<String>) -> Self {
        self.existing_id = Some(id.into());
        self
    }
}

/// A provider: the schema of its resource types and the operations on them.
#[async_trait]
pub trait Provider: Send + Sync {
    /// The provider's name, as in `provider "pingone" {}`.
    fn name(&self) -> &str;

    /// The provider block's and resource types' schemas.
    fn schema(&self) -> &ProviderSchema;

    /// Applies the evaluated `provider` block (an object; null when there is none).
    /// Called once, before any other operation.
    async fn configure(&self, config: &Value) -> Result<(), ProviderError>;

    /// A new, unconfigured instance of this provider, with the same settings from
    /// outside the configuration (such as command-line overrides), for another
    /// `provider` block of the same provider (an alias): it gets its own
    /// [`Provider::configure`] call, credentials and connections. The default has
    /// none: such a provider supports only its default configuration.
    fn new_instance(&self) -> Option<std::sync::Arc<dyn Provider>> {
        None
    }

    /// Refreshes many objects of one type, in as few API calls as the API allows.
    async fn read_many(&self, request: ReadManyRequest) -> Result<ReadManyResponse, ProviderError>;

    /// Creates an object and returns all its attributes, now known.
    async fn create(&self, request: CreateRequest) -> Result<Value, ProviderError>;

    /// Updates an object in place and returns all its attributes.
    async fn update(&self, request: UpdateRequest) -> Result<Value, ProviderError>;

    /// Deletes an object. Deleting an object that is already gone succeeds.
    async fn delete(&self, request: DeleteRequest) -> Result<(), ProviderError>;

    /// Reads a data source: every attribute of its schema, now known. The
    /// default offers none.
    async fn read_data(&self, request: ReadDataRequest) -> Result<Value, ProviderError> {
        Err(ProviderError::new(
            ProviderErrorKind::Configuration,
            format!(
                "{}: the provider `{}` has no data source `{}`",
                request.address,
                self.name(),
                request.type_name
            ),
        ))
    }

    /// Finds an object by its natural key. The default cannot.
    async fn find(&self, request: FindRequest) -> Result<Found, ProviderError> {
        let _ = request;
        Ok(Found::Unsupported)
    }

    /// Objects in the places the managed objects live (for PingOne: their
    /// environments) that no configuration manages, for drift reports.
    /// `None` when the provider cannot list them.
    async fn unmanaged(
        &self,
        request: UnmanagedRequest,
    ) -> Result<Option<Vec<UnmanagedObject>>, ProviderError> {
        let _ = request;
        Ok(None)
    }

    /// Risks a reviewer should see for one planned change, beyond the generic
    /// ones (deletes and replaces), worded for a pull-request comment. The
    /// default sees none.
    fn risks(&self, change: &RiskRequest<'_>) -> Vec<String> {
        let _ = change;
        Vec::new()
    }
}

/// One planned change, as [`Provider::risks`] sees it.
#[derive(Clone, Copy, Debug)]
pub struct RiskRequest<'a> {
    /// The resource type.
    pub type_name: &'a str,
    /// What will happen.
    pub action: crate::plan::Action,
    /// The attributes now, if the object exists.
    pub before: Option<&'a Value>,
    /// The attributes after apply (with unknowns), unless it will be deleted.
    pub after: Option<&'a Value>,
}

/// Every object a state manages with this provider, for [`Provider::unmanaged`].
#[derive(Clone, Debug, Default)]
pub struct UnmanagedRequest {
    /// `(resource type, attributes)` of each managed object.
    pub managed: Vec<(String, Value)>,
}

/// An object that exists but that no configuration manages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmanagedObject {
    /// The resource type it would have, such as `pingone_user`.
    pub type_name: String,
    /// Its id.
    pub id: String,
    /// What a person knows it by (a name or username).
    pub label: String,
    /// Where it lives, such as `environment 1234...`.
    pub location: String,
}
