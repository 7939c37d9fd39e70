"""Who may change a city's monitoring data: its coordinators, the coordinators of a network it is a
partner in, and platform admins. Everyone may read it (indicators are public statistics)."""

import rules

from conet.accounts.rules import is_platform_admin
from conet.networks.rules import coordinates_a_network_of_city, coordinates_city

can_manage_city_monitoring = is_platform_admin | coordinates_city | coordinates_a_network_of_city

rules.add_perm("monitoring.manage_city", can_manage_city_monitoring)
