# A team: its population, one group, and its users in that population.

variable "environment_id" {
  type = string
}

variable "name" {
  type = string
  validation {
    condition     = length(var.name) > 1
    error_message = "A team name needs at least two characters."
  }
}

variable "members" {
  type    = list(string)
  default = []
}

resource "pingone_population" "this" {
  environment_id = var.environment_id
  name           = "${var.name} team"
}

resource "pingone_group" "this" {
  environment_id = var.environment_id
  name           = "${var.name} group"
  population_id  = pingone_population.this.id
}

resource "pingone_user" "member" {
  for_each = toset(var.members)

  environment_id = var.environment_id
  population_id  = pingone_population.this.id
  username       = "${each.key}.${lower(var.name)}"
  email          = "${each.key}@example.com"
}

output "population_id" {
  value = pingone_population.this.id
}

output "population_name" {
  value = pingone_population.this.name
}

output "group_id" {
  value = pingone_group.this.id
}
