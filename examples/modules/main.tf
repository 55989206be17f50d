# Modules: one local module called once per team with `for_each`, and its
# outputs used by the root module.
#
# Run with:  pingform -C examples/modules apply --emulator --auto-approve

variable "environment_id" {
  description = "The PingOne environment that holds the teams."
  type        = string
  # The emulator's seeded admin environment.
  default = "a2b4c6d8-0000-4000-8000-00000000e001"
}

variable "teams" {
  description = "Each team's display name, by key."
  type        = map(string)
  default = {
    eng   = "Engineering"
    sales = "Sales"
  }
}

module "team" {
  source   = "./modules/team"
  for_each = var.teams

  environment_id = var.environment_id
  name           = each.value
  members        = each.key == "eng" ? ["ada", "linus"] : ["grace"]
}

resource "pingone_group" "everyone" {
  environment_id = var.environment_id
  name           = "Everyone"
  description    = "Teams: ${join(", ", [for t in module.team : t.population_name])}"
}

output "population_ids" {
  description = "Each team's population ID, by team key."
  value       = { for key, team in module.team : key => team.population_id }
}
