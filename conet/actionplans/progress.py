"""Progress roll-up: from the actions to each objective and to the whole plan.

Cancelled actions drop out. Weighted by cost, an action without a cost weighs nothing; if no action
in the set has a cost, the actions count equally rather than giving a meaningless 0.
"""

from collections.abc import Iterable
from decimal import Decimal


def rolled_up(actions: Iterable, weighting: str) -> float | None:
    """The weighted mean progress (0–100) of `actions`, or None when there is nothing to count."""
    counted = [action for action in actions if action.status != "cancelled"]
    if not counted:
        return None
    if weighting == "cost":
        weights = [Decimal(action.cost or 0) for action in counted]
        total = sum(weights)
        if total > 0:
            return float(
                sum(w * action.progress for w, action in zip(weights, counted, strict=True)) / total
            )
    return sum(action.progress for action in counted) / len(counted)


def objective_progress(objectives, actions, weighting: str) -> dict[int, float | None]:
    """Objective id → rolled-up progress of the actions linked to it (actions' `objective_ids`)."""
    by_objective: dict[int, list] = {objective.pk: [] for objective in objectives}
    for action in actions:
        for objective_id in action.objective_ids:
            by_objective.setdefault(objective_id, []).append(action)
    return {pk: rolled_up(linked, weighting) for pk, linked in by_objective.items()}
