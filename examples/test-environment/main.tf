# The PingOne getting-started guide as code: a fresh SANDBOX environment for a
# test suite, with a population, a user with a password, a worker application
# that may manage the environment's identities, and an OIDC web application.
#
# Run with:  pingform apply --emulator --auto-approve
# Then read: pingform output --emulator --json   (the client secret is read live,
#                                                  never stored in state)
#
# For a real tenant: set PINGONE_* for a worker app that holds Environment Admin
# and Identity Data Admin, and pass --var admin_environment=<its environment's name>.

variable "admin_environment" {
  description = "The environment that holds pingform's own worker application (its license is reused)."
  type        = string
  default     = "Administrators"
}

variable "suite" {
  description = "Names the environment and its objects, so that several suites can coexist."
  type        = string
  default     = "checkout-tests"
}

variable "tester_password" {
  description = "The test user's first password (write-only: only a salted hash is kept in state)."
  type        = string
  sensitive   = true
  default     = "Correct-Horse-Battery-9"
}

data "pingone_environment" "admin" {
  name = var.admin_environment
}

data "pingone_role" "identity_data_admin" {
  name = "Identity Data Admin"
}

resource "pingone_environment" "suite" {
  name        = "${var.suite} (sandbox)"
  description = "Created by pingform for the ${var.suite} suite"
  type        = "SANDBOX"
  license_id  = data.pingone_environment.admin.license_id
  services    = [{ type = "SSO" }]
}

resource "pingone_population" "testers" {
  environment_id = pingone_environment.suite.id
  name           = "Testers"
}

resource "pingone_user" "tester" {
  environment_id = pingone_environment.suite.id
  population_id  = pingone_population.testers.id
  username       = "tester"
  email          = "tester@example.com"
  password = {
    initial_value = var.tester_password
  }
}

resource "pingone_application" "suite_worker" {
  environment_id = pingone_environment.suite.id
  name           = "${var.suite} worker"
  enabled        = true
  oidc_options = {
    type                       = "WORKER"
    grant_types                = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
  }
}

resource "pingone_application_role_assignment" "suite_worker_identity_data_admin" {
  environment_id       = pingone_environment.suite.id
  application_id       = pingone_application.suite_worker.id
  role_id              = data.pingone_role.identity_data_admin.id
  scope_environment_id = pingone_environment.suite.id
}

resource "pingone_application" "web" {
  environment_id = pingone_environment.suite.id
  name           = "${var.suite} web app"
  enabled        = true
  oidc_options = {
    type                       = "WEB_APP"
    grant_types                = ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]
    response_types             = ["CODE"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
    redirect_uris              = ["https://localhost:8443/callback"]
  }
}

data "pingone_application_secret" "suite_worker" {
  environment_id = pingone_environment.suite.id
  application_id = pingone_application.suite_worker.id
}

output "environment_id" {
  value = pingone_environment.suite.id
}

output "worker_client_id" {
  value = pingone_application.suite_worker.id
}

output "worker_client_secret" {
  value     = data.pingone_application_secret.suite_worker.secret
  sensitive = true
}

output "web_client_id" {
  value = pingone_application.web.id
}
