# The quickstart: two populations, one named after the other.
#
# Run with:  pingform apply --emulator --auto-approve
#
# `--emulator` runs an embedded PingOne emulator; its data lives in .pingform/
# beside the state. To use a real tenant instead, see the README at the root.

variable "environment_id" {
  description = "The PingOne environment that holds the populations."
  type        = string
  # The emulator's seeded admin environment. For a real tenant pass
  # `--var environment_id=<your environment's id>` or set TF_VAR_environment_id.
  default = "a2b4c6d8-0000-4000-8000-00000000e001"
}

variable "team" {
  type    = string
  default = "Engineering"
}

resource "pingone_population" "staff" {
  environment_id = var.environment_id
  name           = "${var.team} staff"
  description    = "Everyone who works in ${lower(var.team)}"
}

resource "pingone_population" "contractors" {
  environment_id = var.environment_id
  name           = "${var.team} contractors"
  description    = "Contractors working alongside ${pingone_population.staff.name}"
}

output "staff_population_id" {
  description = "The ID PingOne gave the staff population"
  value       = pingone_population.staff.id
}
