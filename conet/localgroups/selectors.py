"""Reads of Local Support Groups, in a fixed number of queries."""

import math

from conet.localgroups.models import LocalSupportGroup, Stakeholder

SECTORS = ["public", "private", "civic", "knowledge"]


def stakeholders_of(group: LocalSupportGroup):
    return Stakeholder.objects.filter(group=group).select_related("user").order_by("name")


def power_interest_grid(stakeholders) -> list[list[list[Stakeholder]]]:
    """Stakeholders by cell of the 5 × 5 matrix: rows from power 5 (top) down to 1, columns interest 1–5."""
    grid = [[[] for _interest in range(5)] for _power in range(5)]
    for stakeholder in stakeholders:
        grid[5 - stakeholder.power][stakeholder.interest - 1].append(stakeholder)
    return grid


def matrix_points(stakeholders, *, cell: int = 80, margin: int = 40) -> list[dict]:
    """Where each stakeholder sits in the drawn power/interest matrix (several in a cell fan out)."""
    points = []
    for row, cells in enumerate(power_interest_grid(stakeholders)):
        for column, members in enumerate(cells):
            for index, stakeholder in enumerate(members):
                angle = 2 * math.pi * index / max(len(members), 1)
                spread = 0 if len(members) == 1 else 18
                points.append(
                    {
                        "stakeholder": stakeholder,
                        "x": round(margin + column * cell + cell / 2 + spread * math.cos(angle), 1),
                        "y": round(row * cell + cell / 2 + spread * math.sin(angle), 1),
                    }
                )
    return points


def ecosystem(stakeholders, *, size: int = 400) -> list[dict]:
    """The ecosystem map: one quarter circle per sector, members near the centre, others outside,
    each dot as big as the stakeholder's power."""
    by_sector = {sector: [] for sector in SECTORS}
    for stakeholder in stakeholders:
        by_sector.setdefault(stakeholder.sector, []).append(stakeholder)
    centre = size / 2
    dots = []
    for quarter, sector in enumerate(SECTORS):
        members = by_sector[sector]
        for index, stakeholder in enumerate(members):
            start = quarter * math.pi / 2
            angle = start + (index + 1) * (math.pi / 2) / (len(members) + 1)
            radius = size * (0.2 if stakeholder.is_member else 0.38)
            dots.append(
                {
                    "stakeholder": stakeholder,
                    "x": round(centre + radius * math.cos(angle), 1),
                    "y": round(centre - radius * math.sin(angle), 1),
                    "r": 4 + 2 * stakeholder.power,
                }
            )
    return dots
