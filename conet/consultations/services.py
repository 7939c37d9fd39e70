"""Every write to consultations: one function per use case, one transaction each.

Votes trigger a recomputation of the opinion groups after they commit, throttled: the groups are
recomputed when the stored result is older than CONET_CONSULTATION_RECOMPUTE_SECONDS (default 10) or
CONET_CONSULTATION_RECOMPUTE_VOTES (default 50) votes have been cast since. The computation runs in
the request that crosses the threshold (a few hundred participants take well under 0.1 s; see
docs/benchmarks.md); a cache lock keeps two processes from computing the same thing at once.
"""

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from conet.accounts.personal_data import ERASED_PREFIX, unlinkable_hash
from conet.actionplans import services as actionplan_services
from conet.consultations import admission, results, selectors
from conet.consultations.models import (
    STATEMENT_MAX_LENGTH,
    Consultation,
    OpinionResult,
    Participant,
    Statement,
    Vote,
)
from conet.consultations.opinion_groups import VoteTable, compute_opinion_groups
from conet.core import audit
from conet.core.activity import record_activity
from conet.core.concurrency import update_versioned
from conet.core.permissions import require
from conet.core.ratelimit import within_limit
from conet.networks.models import City

logger = logging.getLogger("conet.consultations")

CONSULTATION_FIELDS = [
    "question", "description", "language", "opens_at", "closes_at", "moderation",
    "participants_may_add", "network",
]  # fmt: skip

# Rate limits: (how many, in how many seconds), per participant and per client address.
VOTE_LIMIT = (120, 60)
VOTE_LIMIT_PER_ADDRESS = (1200, 60)
STATEMENT_LIMIT = (5, 600)
STATEMENT_LIMIT_PER_ADDRESS = (30, 600)


class RateLimited(Exception):
    """Too many writes from one participant or one address; try again later."""


def check_rate(scope: str, key: str, limit: tuple[int, int]) -> None:
    """Count one more write for `key` in a fixed window; refuse past the limit."""
    count, seconds = limit
    if not within_limit(f"consultations:{scope}:{key}", count, seconds):
        raise RateLimited(scope)


# Consultations ------------------------------------------------------------------------------------


@transaction.atomic
def create_consultation(
    city: City, *, by, slug: str, question: str, seed_statements: list[str] = (), **fields
) -> Consultation:
    require(by, "consultations.add_consultation", city)
    consultation = Consultation(city=city, slug=slug, question=question, created_by=by, **fields)
    consultation.full_clean()
    consultation.save()
    for text in seed_statements:
        if text.strip():
            _new_statement(
                consultation,
                text=text,
                language=consultation.language,
                author=None,
                is_seed=True,
                status=Statement.Status.ACCEPTED,
                moderated_by=by,
            )
    record_activity(
        kind="consultation.created",
        scope=consultation.network or city,
        actor=by,
        data={"city": city.name, "question": consultation.question},
        link=consultation.get_absolute_url(),
    )
    return consultation


@transaction.atomic
def update_consultation(
    consultation: Consultation, *, by, expected_version: int, changes: dict
) -> Consultation:
    require(by, "consultations.change_consultation", consultation)
    changes = {name: value for name, value in changes.items() if name in CONSULTATION_FIELDS}
    current = Consultation.objects.select_related("city").get(pk=consultation.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["slug", "city"], validate_unique=False, validate_constraints=False)
    if "network" in changes:
        network = changes.pop("network")
        changes["network_id"] = network.pk if network else None
    return update_versioned(consultation, expected_version, changes)


# Participants -----------------------------------------------------------------------------------


def new_device_token() -> str:
    return secrets.token_urlsafe(24)


def participant_for(
    consultation: Consultation, *, user=None, device_token: str = ""
) -> Participant:
    """The participant for this user (signed in) or this device, created on first use."""
    if user is not None and user.is_authenticated:
        lookup = {"consultation": consultation, "user": user}
    elif device_token:
        lookup = {
            "consultation": consultation,
            "device_hash": Participant.hash_device(device_token),
        }
    else:
        raise ValueError("a participant is a signed-in user or a device token")
    participant = Participant.objects.filter(**lookup).first()  # every vote but the first
    if participant is not None:
        return participant
    try:
        with transaction.atomic():
            participant, _created = Participant.objects.get_or_create(**lookup)
    except IntegrityError:  # the same device's two first requests at once
        participant = Participant.objects.get(**lookup)
    return participant


@transaction.atomic
def admit_device(
    consultation: Consultation, *, device_token: str, ticket: str, proof: str, address: str
) -> Participant:
    """A new participant for a device without a cookie, if it may come in (see admission.py).

    Refused (nothing stored): admission.TooManyNewParticipants past the address's limit, a
    ValidationError for a ticket that is forged, expired, used or another consultation's.
    """
    how = admission.admit(consultation, ticket=ticket, proof=proof, address=address)
    return Participant.objects.create(
        consultation=consultation,
        device_hash=Participant.hash_device(device_token),
        admission=how,
        address_hash=admission.address_hash(address),
    )


# Statements ---------------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write a statement.")})
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep a statement under %(limit)d characters (this one has %(count)d).")
                % {"limit": STATEMENT_MAX_LENGTH, "count": len(text)}
            }
        )
    return text


def _new_statement(consultation: Consultation, **fields) -> Statement:
    """The next number in the consultation; the consultation row is locked so two authors get two numbers."""
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    number = consultation.statements.aggregate(last=Max("number"))["last"]
    fields["text"] = _clean_text(fields["text"])
    if fields.get("moderated_by") is not None:
        fields.setdefault("moderated_at", timezone.now())
    return Statement.objects.create(
        consultation=consultation, number=0 if number is None else number + 1, **fields
    )


@transaction.atomic
def add_statement(
    consultation: Consultation,
    *,
    by,
    participant: Participant | None = None,
    text: str,
    language: str = "",
    address: str = "",
) -> Statement:
    """A statement written by a participant (or a seed added later by a moderator).

    With moderation before publication it waits for a moderator; after publication it is shown at
    once and a moderator may still reject it. A moderator's own statement is accepted at once.
    """
    require(by, "consultations.add_statement", consultation)
    moderator = by.has_perm("consultations.moderate", consultation)
    if not moderator:
        if participant is not None:
            check_rate("statement", f"p{participant.pk}", STATEMENT_LIMIT)
        if address:
            check_rate("statement", address, STATEMENT_LIMIT_PER_ADDRESS)
    accepted = moderator or consultation.moderation == Consultation.Moderation.AFTER
    return _new_statement(
        consultation,
        text=text,
        language=language or consultation.language,
        author=participant,
        is_seed=moderator and participant is None,
        status=Statement.Status.ACCEPTED if accepted else Statement.Status.PENDING,
        moderated_by=by if moderator else None,
    )


@transaction.atomic
def moderate_statement(statement: Statement, *, by, accept: bool, reason: str = "") -> Statement:
    """Accept or reject a statement; a rejection keeps the statement and the reason, and its votes
    stop counting in the opinion groups."""
    require(by, "consultations.moderate", statement.consultation)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the statement is rejected.")})
    statement.status = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    statement.moderation_reason = reason
    statement.moderated_by = by
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
    consultation = statement.consultation
    audit.record(
        "statement.moderated",
        actor=by,
        about=consultation,
        summary=f"{consultation.slug} #{statement.number}: {statement.status}"
        + (f" ({reason})" if reason else ""),
    )
    transaction.on_commit(lambda: maybe_recompute(consultation, force=True), robust=True)
    return statement


# Votes -------------------------------------------------------------------------------------------


@transaction.atomic
def cast_vote(
    participant: Participant, statement: Statement, value: int, *, by, address: str = ""
) -> Vote:
    """One vote per participant per statement: a new vote replaces the old one."""
    consultation = statement.consultation
    require(by, "consultations.vote", consultation)
    if participant.consultation_id != consultation.pk:
        raise ValidationError({"statement": _("This statement belongs to another consultation.")})
    if statement.status != Statement.Status.ACCEPTED:
        raise ValidationError({"statement": _("This statement is not open for votes.")})
    if value not in Vote.Value.values:
        raise ValidationError({"value": _("A vote is agree (1), disagree (-1) or pass (0).")})
    check_rate("vote", f"p{participant.pk}", VOTE_LIMIT)
    if address:
        check_rate("vote", address, VOTE_LIMIT_PER_ADDRESS)
    # One statement, a new vote or a changed one (INSERT … ON CONFLICT DO UPDATE).
    (vote,) = Vote.objects.bulk_create(
        [
            Vote(
                participant=participant, statement=statement, value=value, created_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["participant", "statement"],
        update_fields=["value", "created_at"],
    )
    Consultation.objects.filter(pk=consultation.pk).update(votes_cast=F("votes_cast") + 1)
    transaction.on_commit(lambda: maybe_recompute(consultation), robust=True)
    return vote


# Suspicious bursts ---------------------------------------------------------------------------------


@transaction.atomic
def set_burst_aside(consultation: Consultation, *, by, key: str, aside: bool) -> int:
    """Set a suspicious burst's participants aside (`aside`) or bring them back; how many changed.

    Set aside, their votes count in no result and no opinion group, but they stay stored, on the
    moderation page and in the export (polis.SET_ASIDE_FILE). The groups are recomputed at once.
    """
    require(by, "consultations.moderate", consultation)
    burst = next((b for b in selectors.suspicious_bursts(consultation) if b.key == key), None)
    if burst is None:
        raise ValidationError(_("This burst is no longer in the list. Reload the page."))
    participants = Participant.objects.filter(
        consultation=consultation, pk__in=burst.participant_ids
    )
    if aside:
        changed = participants.filter(set_aside_at__isnull=True).update(
            set_aside_at=timezone.now(), set_aside_by=by
        )
    else:
        changed = participants.filter(set_aside_at__isnull=False).update(
            set_aside_at=None, set_aside_by=None
        )
    audit.record(
        "burst.set_aside" if aside else "burst.restored",
        actor=by,
        about=consultation,
        summary=f"{consultation.slug}: {changed} participants of burst {key}",
    )
    logger.info(
        "consultation %s: %s set %s %d participants of burst %s",
        consultation.slug,
        by,
        "aside" if aside else "back",
        changed,
        key,
    )
    transaction.on_commit(lambda: maybe_recompute(consultation, force=True), robust=True)
    return changed


# The opinion groups ----------------------------------------------------------------------------------


def vote_table(consultation: Consultation) -> VoteTable:
    """The consultation's votes, in the order cast (two queries): accepted statements are the
    columns; votes on statements rejected since count as Pol.is counts moderated-out ones."""
    statement_ids = list(
        consultation.statements.filter(status=Statement.Status.ACCEPTED)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    votes = (
        Vote.objects.filter(
            statement__consultation=consultation,
            statement__status__in=[Statement.Status.ACCEPTED, Statement.Status.REJECTED],
            participant__set_aside_at__isnull=True,  # a burst a moderator set aside
        )
        .order_by("created_at", "pk")
        .values_list("participant_id", "statement_id", "value")
    )
    return VoteTable.from_triples(votes.iterator(chunk_size=5000), statement_ids=statement_ids)


def recompute(consultation: Consultation) -> OpinionResult:
    """Compute the opinion groups from the stored votes and store them, starting from the last result."""
    votes_cast = Consultation.objects.values_list("votes_cast", flat=True).get(pk=consultation.pk)
    previous = OpinionResult.objects.filter(consultation=consultation).first()
    table = vote_table(consultation)
    started = time.perf_counter()
    computed = compute_opinion_groups(
        table, previous=results.previous_state(previous.data if previous else None)
    )
    seconds = time.perf_counter() - started
    stored, _created = OpinionResult.objects.update_or_create(
        consultation=consultation,
        defaults={
            "computed_at": timezone.now(),
            "votes_used": computed.votes_used,
            "votes_cast": votes_cast,
            "participants_placed": len(computed.placed),
            "group_count": computed.n_groups,
            "seconds": seconds,
            "data": results.to_data(computed),
        },
    )
    logger.info(
        "consultation %s: %d groups from %d votes of %d participants in %.3f s",
        consultation.slug,
        computed.n_groups,
        computed.votes_used,
        len(computed.participant_ids),
        seconds,
    )
    return stored


def is_stale(consultation: Consultation, result: OpinionResult | None, votes_cast: int) -> bool:
    """Whether the throttle lets a recomputation run now."""
    if result is None:
        return votes_cast > 0
    new_votes = votes_cast - result.votes_cast
    if new_votes <= 0:
        return False
    seconds = settings.CONET_CONSULTATION_RECOMPUTE_SECONDS
    votes = settings.CONET_CONSULTATION_RECOMPUTE_VOTES
    age = (timezone.now() - result.computed_at).total_seconds()
    return age >= seconds or new_votes >= votes


def maybe_recompute(consultation: Consultation, *, force: bool = False) -> OpinionResult | None:
    """Recompute if the throttle allows (or `force`); one process at a time per consultation."""
    votes_cast = Consultation.objects.values_list("votes_cast", flat=True).get(pk=consultation.pk)
    result = OpinionResult.objects.filter(consultation=consultation).first()
    if not force and not is_stale(consultation, result, votes_cast):
        return result
    lock = f"consultations:recompute:{consultation.pk}"
    if not cache.add(lock, 1, timeout=120):
        return result  # another process is computing; its result will be stored
    try:
        return recompute(consultation)
    finally:
        cache.delete(lock)


def _share(count: int, votes: int) -> str:
    return f"{round(100 * count / votes) if votes else 0} %"


@transaction.atomic
def send_statements_to_plan(
    consultation: Consultation, *, by, plan, statement_ids: list[int], report_url: str
):
    """One entry in `plan`'s consultation log quoting the chosen statements, each with its share of
    agree and disagree votes, and a link back to the report. The plan must be the one of the
    consultation's city (in the consultation's network, if it has one)."""
    partnership = plan.partnership
    if partnership.city_id != consultation.city_id or (
        consultation.network_id and partnership.network_id != consultation.network_id
    ):
        raise ValidationError(
            _("Choose the Local Action Plan of %(city)s.") % {"city": consultation.city.name}
        )
    counted = Q(votes__participant__set_aside_at__isnull=True)
    statements = list(
        consultation.statements.filter(pk__in=statement_ids, status=Statement.Status.ACCEPTED)
        .annotate(
            agrees=Count("votes", filter=counted & Q(votes__value=1)),
            disagrees=Count("votes", filter=counted & Q(votes__value=-1)),
            votes_total=Count("votes", filter=counted),
        )
        .order_by("number")
    )
    if not statements or len(statements) != len(set(statement_ids)):
        raise ValidationError(_("Choose at least one statement of this consultation."))
    lines = [
        _("From the consultation “%(question)s”: %(url)s")
        % {"question": consultation.question, "url": report_url}
    ]
    for statement in statements:
        lines.append(
            "• "
            + _("“%(text)s” — agree %(agree)s, disagree %(disagree)s, votes: %(votes)s")
            % {
                "text": statement.text,
                "agree": _share(statement.agrees, statement.votes_total),
                "disagree": _share(statement.disagrees, statement.votes_total),
                "votes": statement.votes_total,
            }
        )
    return actionplan_services.comment(plan, by=by, text="\n".join(lines))


# What a statement led to ------------------------------------------------------------------------


def _plan_of_consultation(consultation: Consultation, plan) -> bool:
    partnership = plan.partnership
    return partnership.city_id == consultation.city_id and (
        consultation.network_id is None or partnership.network_id == consultation.network_id
    )


@transaction.atomic
def link_statement_to_action(statement: Statement, action, *, by) -> None:
    """Record that `statement` led to `action` of the plan of the consultation's city (in its
    network, if it has one): the focus-area page and the action page show the step both ways."""
    from conet.actionplans.models import Action

    action = Action.objects.select_related("plan__partnership__city").get(pk=action.pk)
    plan = action.plan
    if not by.has_perm("consultations.link_statement_to_action", plan):
        raise PermissionDenied("consultations.link_statement_to_action")
    statement = Statement.objects.select_related("consultation").get(pk=statement.pk)
    consultation = statement.consultation
    if not _plan_of_consultation(consultation, plan):
        raise ValidationError(
            {
                "action": _("Choose an action of the Local Action Plan of %(city)s.")
                % {"city": consultation.city.name}
            }
        )
    if statement.status != Statement.Status.ACCEPTED:
        raise ValidationError({"statement": _("Only a published statement can lead to an action.")})
    if statement.actions.filter(pk=action.pk).exists():
        raise ValidationError({"action": _("The statement is already linked to this action.")})
    statement.actions.add(action)
    record_activity(
        kind="consultation.statement_linked",
        scope=consultation,
        actor=by,
        public=False,
        data={"statement": statement.text[:200], "action": str(action), "plan": plan.title},
        link=action.get_absolute_url(),
    )


@transaction.atomic
def unlink_statement_from_action(statement: Statement, action, *, by) -> None:
    from conet.actionplans.models import Action

    action = Action.objects.select_related("plan__partnership__city").get(pk=action.pk)
    if not by.has_perm("consultations.link_statement_to_action", action.plan):
        raise PermissionDenied("consultations.link_statement_to_action")
    if not statement.actions.filter(pk=action.pk).exists():
        raise ValidationError({"action": _("The statement is not linked to this action.")})
    statement.actions.remove(action)


# People's data (docs/privacy.md) ---------------------------------------------------------------------


@transaction.atomic
def forget_participant(participant: Participant) -> int:
    """ "Delete what I contributed", asked by the participant (their device or their account): their
    votes are deleted and the opinion groups recomputed without them, open or closed. Statements
    they wrote stay, without an author, because others voted on them. Returns the votes deleted."""
    consultation = participant.consultation
    deleted, _by_model = Vote.objects.filter(participant=participant).delete()
    participant.delete()
    transaction.on_commit(lambda: maybe_recompute(consultation, force=True))
    return deleted


def anonymise_user_participations(user) -> None:
    """Account deletion: a consultation's votes are its record, so they stay, cut from the person."""
    for participant in Participant.objects.filter(user=user):
        participant.user, participant.device_hash = None, unlinkable_hash()
        participant.save(update_fields=["user", "device_hash"])


def cut_device_links(now=None) -> int:
    """Retention: CONET_RETENTION_CONSULTATION_DEVICE_DAYS days after a consultation closes, its
    devices' hashes are replaced, so no phone can be matched to its votes any more; the votes and
    the groups stay. Returns how many participants were cut loose."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONET_RETENTION_CONSULTATION_DEVICE_DAYS)
    due = (
        Participant.objects.filter(consultation__closes_at__lte=cutoff)
        .exclude(device_hash="")
        .exclude(device_hash__startswith=ERASED_PREFIX)
    )
    count = 0
    with transaction.atomic():
        for participant in due.select_for_update().only("pk"):
            Participant.objects.filter(pk=participant.pk).update(device_hash=unlinkable_hash())
            count += 1
    return count
