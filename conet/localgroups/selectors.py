"""Reads of Local Support Groups, in a fixed number of queries."""

from conet.localgroups.models import LocalSupportGroup, Stakeholder

PERSONAL_FIELDS = ("email", "phone")


def stakeholders_of(group: LocalSupportGroup):
    return Stakeholder.objects.filter(group=group).select_related("user").order_by("name")


def power_interest_grid(stakeholders) -> list[list[list[Stakeholder]]]:
    """Stakeholders by cell of the 5 × 5 matrix: rows from power 5 (top) down to 1, columns interest 1–5."""
    grid = [[[] for _interest in range(5)] for _power in range(5)]
    for stakeholder in stakeholders:
        grid[5 - stakeholder.power][stakeholder.interest - 1].append(stakeholder)
    return grid
