"""The protocol: the full record of a workshop, as a page, a PDF and a CSV.

Documentation of every card, cluster, vote and decision is part of Jungk's method. One selector,
`protocol_for`, reads everything in a fixed number of queries whatever the number of cards, and
the page, the PDF (the same template through WeasyPrint) and the CSV are drawn from it, so the
three never disagree. Hidden cards stay in the record, marked hidden; their text and the authors'
names are given only to the people running the workshop (`rules.sees_hidden_cards`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from conet.core import spreadsheet
from conet.core.models import Photo
from conet.core.photos.selectors import photos_of
from conet.workshops import selectors
from conet.workshops.models import (
    Card,
    Cluster,
    Dot,
    Participant,
    Phase,
    Proposal,
    ProposalHelper,
    Table,
    Workshop,
)
from conet.workshops.rules import card_author
from conet.workshops.selectors import cluster_dot_total

CSV_COLUMNS = [
    "record",
    "phase",
    "table",
    "cluster",
    "rank",
    "dots",
    "chosen",
    "card",
    "text",
    "hidden",
    "author",
    "responds_to",
    "detail",
]


@dataclass
class PhaseRecord:
    phase: Phase
    clusters: list[Cluster]  # ranked, most dots first; each with .record_cards
    unsorted: list[Card]
    card_count: int
    hidden_count: int
    voters: int

    @property
    def duration(self) -> timedelta | None:
        if self.phase.opened_at and self.phase.closed_at:
            return self.phase.closed_at - self.phase.opened_at
        return None

    @property
    def duration_text(self) -> str:
        return describe_duration(self.duration)

    @property
    def decisions(self) -> list[Cluster]:
        return [cluster for cluster in self.clusters if cluster.chosen]


@dataclass
class Protocol:
    workshop: Workshop
    phases: list[PhaseRecord]
    tables: list[Table]
    participants: int
    removed_participants: int
    proposals: list[Proposal]  # each with .helper_names and .helper_count
    photos: list[Photo]  # of the paper boards and the room, first the preview
    full: bool  # hidden cards' text and authors included
    made_at: datetime | None = None
    cluster_titles: dict[int, str] = field(default_factory=dict)

    @property
    def card_count(self) -> int:
        return sum(record.card_count for record in self.phases)


def protocol_for(workshop: Workshop, *, full: bool, viewer=None) -> Protocol:
    """Everything the record shows, in nine queries whatever the size of the workshop.

    `viewer` decides whether a proposal's action in a working (not yet launched) plan is shown.
    """
    phases = list(Phase.objects.filter(workshop=workshop).order_by("order", "pk"))
    tables = list(Table.objects.filter(workshop=workshop).annotate(people=Count("participants")))
    counts = Participant.objects.filter(workshop=workshop).aggregate(
        total=Count("pk"), removed=Count("pk", filter=Q(removed=True))
    )
    cards = list(
        Card.objects.filter(workshop=workshop)
        .select_related("participant")
        .order_by("phase__order", "table_id", "order", "created_at", "pk")
    )
    clusters = list(
        Cluster.objects.filter(workshop=workshop)
        .select_related("table")
        .annotate(dot_total=cluster_dot_total())
        .order_by("-dot_total", "order", "pk")
    )
    voters = dict(
        Dot.objects.filter(phase__workshop=workshop)
        .values("phase")
        .annotate(n=Count("participant", distinct=True))
        .values_list("phase", "n")
    )
    helpers = Prefetch(
        "helpers",
        queryset=ProposalHelper.objects.select_related("participant").order_by("created_at"),
    )
    proposals = list(
        Proposal.objects.filter(workshop=workshop)
        .select_related(
            "cluster",
            "table",
            "action__plan__partnership__network",
            "action__plan__partnership__city",
        )
        .prefetch_related(helpers)
        .order_by("order", "pk")
    )
    photos = photos_of(workshop)

    for card in cards:
        card.shown_text = card.text if (full or not card.hidden) else ""
        card.author = card_author(card, workshop, names_shown=full) or ""
    by_cluster: dict[int, list[Card]] = {}
    for card in cards:
        if card.cluster_id is not None:
            by_cluster.setdefault(card.cluster_id, []).append(card)
    records = []
    for phase in phases:
        phase_cards = [card for card in cards if card.phase_id == phase.pk]
        phase_clusters = [cluster for cluster in clusters if cluster.phase_id == phase.pk]
        for rank, cluster in enumerate(phase_clusters, start=1):
            cluster.rank = rank
            cluster.record_cards = by_cluster.get(cluster.pk, [])
        records.append(
            PhaseRecord(
                phase=phase,
                clusters=phase_clusters,
                unsorted=[card for card in phase_cards if card.cluster_id is None],
                card_count=len(phase_cards),
                hidden_count=sum(card.hidden for card in phase_cards),
                voters=voters.get(phase.pk, 0),
            )
        )
    selectors.with_visible_actions(proposals, viewer)
    for proposal in proposals:
        proposal.helper_names = [
            helper.participant.public_name if full else "" for helper in proposal.helpers.all()
        ]
        proposal.helper_count = len(proposal.helper_names)
    return Protocol(
        workshop=workshop,
        phases=records,
        tables=tables,
        participants=counts["total"],
        removed_participants=counts["removed"],
        proposals=proposals,
        photos=photos,
        full=full,
        cluster_titles={cluster.pk: cluster.title for cluster in clusters},
    )


def _yes(value: bool) -> str:
    return "yes" if value else ""


def protocol_rows(protocol: Protocol) -> list[dict]:
    """The record as flat rows (one per workshop, phase, cluster, card, proposal and helper)."""
    workshop = protocol.workshop
    rows = [
        {
            "record": "workshop",
            "text": workshop.title,
            "detail": "; ".join(
                [
                    f"question: {workshop.guiding_question}",
                    f"date: {workshop.starts_at.isoformat()}",
                    f"place: {workshop.place}",
                    f"participants: {protocol.participants}",
                    f"removed: {protocol.removed_participants}",
                    f"tables: {len(protocol.tables)}",
                ]
            ),
        }
    ]
    titles = protocol.cluster_titles
    tables = {table.pk: table.name for table in protocol.tables}
    for record in protocol.phases:
        phase = record.phase
        rows.append(
            {
                "record": "phase",
                "phase": phase.kind,
                "text": str(phase.get_kind_display()),
                "detail": "; ".join(
                    [
                        f"state: {phase.state}",
                        f"opened: {phase.opened_at.isoformat() if phase.opened_at else ''}",
                        f"closed: {phase.closed_at.isoformat() if phase.closed_at else ''}",
                        f"time box: {phase.time_box_minutes or ''}",
                        f"dots per person: {phase.dots_per_person}",
                        f"cards: {record.card_count}",
                        f"hidden: {record.hidden_count}",
                        f"voters: {record.voters}",
                    ]
                ),
            }
        )
        for cluster in record.clusters:
            rows.append(
                {
                    "record": "cluster",
                    "phase": phase.kind,
                    "table": cluster.table.name if cluster.table else "",
                    "cluster": cluster.pk,
                    "rank": cluster.rank,
                    "dots": cluster.dot_total,
                    "chosen": _yes(cluster.chosen),
                    "text": cluster.title,
                    "detail": "suggested" if cluster.suggested else "",
                }
            )
            rows.extend(_card_row(card, phase, titles, tables) for card in cluster.record_cards)
        rows.extend(_card_row(card, phase, titles, tables) for card in record.unsorted)
    for proposal in protocol.proposals:
        rows.append(
            {
                "record": "proposal",
                "table": proposal.table.name if proposal.table else "",
                "cluster": proposal.cluster_id or "",
                "text": proposal.title,
                "detail": "; ".join(
                    f"{label}: {value}"
                    for label, value in [
                        ("what", proposal.what),
                        ("who helps", proposal.who_helps),
                        ("when we start", proposal.start_when),
                        ("first step", proposal.first_step),
                        ("resources", proposal.resources),
                        ("obstacles", proposal.obstacles),
                        ("helpers", proposal.helper_count),
                        ("action", f"{proposal.shown_action.plan} #{proposal.shown_action.number}")
                        if proposal.shown_action
                        else ("action", ""),
                    ]
                    if value != ""
                ),
            }
        )
        for name in proposal.helper_names:
            rows.append({"record": "helper", "cluster": proposal.cluster_id or "", "text": name})
    return rows


def _card_row(card: Card, phase: Phase, titles: dict[int, str], tables: dict[int, str]) -> dict:
    return {
        "record": "card",
        "phase": phase.kind,
        "table": tables.get(card.table_id, ""),
        "cluster": card.cluster_id or "",
        "card": card.pk,
        "text": card.shown_text,
        "hidden": _yes(card.hidden),
        "author": card.author,
        "responds_to": titles.get(card.responds_to_id, "") if card.responds_to_id else "",
    }


def protocol_csv(protocol: Protocol) -> str:
    """UTF-8 CSV with a header; spreadsheets open it as it is (the view adds a BOM)."""
    buffer = io.StringIO()
    writer = spreadsheet.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in protocol_rows(protocol):
        writer.writerow({column: str(row.get(column, "")) for column in CSV_COLUMNS})
    return buffer.getvalue()


def csv_filename(workshop: Workshop) -> str:
    return f"workshop-{workshop.pk}-protocol.csv"


def pdf_filename(workshop: Workshop) -> str:
    return f"workshop-{workshop.pk}-protocol.pdf"


def describe_duration(duration: timedelta | None) -> str:
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    return _("%(hours)s h %(minutes)s min") % {"hours": minutes // 60, "minutes": minutes % 60}
