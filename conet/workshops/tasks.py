"""Background work: the suggested clustering of a board (embedding a hundred cards takes seconds,
so it runs after the facilitator's request and leaves its result in the cache for their page), and
the retention rule for participants' names (docs/privacy.md)."""

import logging

from django.core.cache import cache
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from conet.workshops import clustering, selectors, services
from conet.workshops.models import Phase, Table

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="55"))
def erase_workshop_names() -> int:
    return services.erase_names_after_workshops()


@db_task()
def suggest_for_board(phase_id: int, table_id: int | None) -> None:
    phase = Phase.objects.get(pk=phase_id)
    table = Table.objects.get(pk=table_id) if table_id else None
    cards = list(selectors.unsorted_board_cards(phase, table).values_list("pk", "text"))
    try:
        suggestion = clustering.suggest_clusters(cards)
    except Exception:  # the facilitator's page must not wait for ever on a task that died
        log.exception("could not suggest clusters for phase %s, table %s", phase_id, table_id)
        suggestion = clustering.Suggestion(reason=_("The suggestion failed. Try again later."))
    cache.set(
        selectors.suggestion_key(phase_id, table_id),
        {
            "fingerprint": selectors.cards_fingerprint(cards),
            "pending": False,
            "groups": [
                [list(group.card_ids), group.title, group.title_card_id]
                for group in suggestion.groups
            ],
            "ungrouped": list(suggestion.ungrouped),
            "reason": suggestion.reason,
            "method": suggestion.method,
        },
        selectors.SUGGESTION_SECONDS,
    )
