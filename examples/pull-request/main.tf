# Plans in pull-request review: every pull request gets the plan as a Markdown
# comment with its risks flagged; after merge, the reviewed plan is applied,
# and refused if the tenant or the state moved in between.
#
# Run with: pingform plan --emulator --markdown

variable "environment_id" {
  description = "The PingOne environment that holds the populations."
  type        = string
  # The emulator's seeded admin environment; for a real tenant pass --var or TF_VAR_environment_id.
  default = "a2b4c6d8-0000-4000-8000-00000000e001"
}

resource "pingone_population" "partners" {
  environment_id          = var.environment_id
  name                    = "Partners"
  description             = "People from partner companies"
  alternative_identifiers = ["partner"]
}
