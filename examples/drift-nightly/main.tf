# Nightly drift detection: the populations a team owns. A scheduled job runs
# drift-check.sh; it fails (exit 2) with a JSON report when someone changed or
# deleted one of them by hand.
#
# Run with: pingform apply --emulator --auto-approve, then ./drift-check.sh

variable "environment_id" {
  description = "The PingOne environment that holds the populations."
  type        = string
  # The emulator's seeded admin environment; for a real tenant pass --var or TF_VAR_environment_id.
  default = "a2b4c6d8-0000-4000-8000-00000000e001"
}

locals {
  teams = {
    sales   = "Sales and account management"
    support = "Customer support"
  }
}

resource "pingone_population" "sales" {
  environment_id = var.environment_id
  name           = "Sales"
  description    = local.teams.sales
}

resource "pingone_population" "support" {
  environment_id = var.environment_id
  name           = "Support"
  description    = local.teams.support
}
