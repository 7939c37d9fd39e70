"""Consultation services: statements and moderation, votes, participants, the throttled recomputation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conet.consultations import services
from conet.consultations.models import Consultation, OpinionResult, Participant, Statement, Vote
from conet.core.models import ActivityEvent
from tests.factories import (
    ConsultationFactory,
    NetworkFactory,
    ParticipantFactory,
    StatementFactory,
    UserFactory,
)


@pytest.fixture
def consultation(city):
    return ConsultationFactory(city=city, slug="ballaro")


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_coordinator_creates_a_consultation_with_numbered_seed_statements(people, city, network):
    consultation = services.create_consultation(
        city,
        by=people["city_coordinator"],
        network=network,
        slug="ballaro",
        question="What would make Ballarò a better place to live?",
        seed_statements=[
            "More light in the streets at night",
            "  ",
            "A market hall for the stalls",
        ],
    )
    statements = list(consultation.statements.all())
    assert [(s.number, s.status, s.is_seed) for s in statements] == [
        (0, "accepted", True),
        (1, "accepted", True),
    ]
    assert ActivityEvent.objects.filter(kind="consultation.created", scope_id=network.pk).exists()


def test_a_consultation_may_only_name_a_network_its_city_is_in(people, city):
    with pytest.raises(ValidationError) as error:
        services.create_consultation(
            city, by=people["platform_admin"], network=NetworkFactory(), slug="x", question="Q?"
        )
    assert "network" in error.value.message_dict
    assert not Consultation.objects.exists()


def test_closing_before_opening_is_refused_naming_the_field(people, city):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.create_consultation(
            city, by=people["platform_admin"], slug="x", question="Q?", opens_at=now,
            closes_at=now - timedelta(days=1),
        )  # fmt: skip
    assert "closes_at" in error.value.message_dict


def test_lsg_member_may_not_create_a_consultation(people, city):
    with pytest.raises(PermissionDenied):
        services.create_consultation(city, by=people["lsg_member"], slug="x", question="Q?")


def test_same_device_or_same_user_is_the_same_participant(consultation):
    first = services.participant_for(consultation, device_token="abc")
    assert services.participant_for(consultation, device_token="abc") == first
    assert services.participant_for(consultation, device_token="def") != first
    assert first.device_hash != "abc"  # only the hash is stored
    user = UserFactory()
    assert services.participant_for(consultation, user=user) == services.participant_for(
        consultation, user=user
    )


def test_statement_waits_for_moderation_before_publication(consultation, anonymous):
    consultation.moderation = Consultation.Moderation.BEFORE
    participant = ParticipantFactory(consultation=consultation)
    statement = services.add_statement(
        consultation, by=anonymous, participant=participant, text="Open   the school yard\n"
    )
    assert statement.status == Statement.Status.PENDING
    assert statement.text == "Open the school yard"
    assert statement.author == participant and not statement.is_seed


def test_statement_is_shown_at_once_with_moderation_after_publication(consultation, anonymous):
    participant = ParticipantFactory(consultation=consultation)
    statement = services.add_statement(
        consultation, by=anonymous, participant=participant, text="Clean the square"
    )
    assert statement.status == Statement.Status.ACCEPTED
    assert statement.moderated_by is None  # still to be reviewed


def test_a_long_statement_is_refused_naming_the_field(consultation, anonymous):
    with pytest.raises(ValidationError) as error:
        services.add_statement(consultation, by=anonymous, text="x" * 281)
    assert "280" in error.value.message_dict["text"][0]
    assert not Statement.objects.exists()


def test_participants_may_not_add_when_the_consultation_says_so(people, consultation, anonymous):
    consultation.participants_may_add = False
    with pytest.raises(PermissionDenied):
        services.add_statement(consultation, by=anonymous, text="A new idea")
    added = services.add_statement(consultation, by=people["city_coordinator"], text="A seed")
    assert added.status == Statement.Status.ACCEPTED and added.is_seed


def test_statements_are_rate_limited_per_participant(consultation, anonymous):
    participant = ParticipantFactory(consultation=consultation)
    for n in range(services.STATEMENT_LIMIT[0]):
        services.add_statement(consultation, by=anonymous, participant=participant, text=f"S{n}")
    with pytest.raises(services.RateLimited):
        services.add_statement(consultation, by=anonymous, participant=participant, text="One more")
    assert consultation.statements.count() == services.STATEMENT_LIMIT[0]


def test_rejection_keeps_the_statement_and_the_reason(people, consultation):
    statement = StatementFactory(consultation=consultation)
    with pytest.raises(ValidationError) as error:
        services.moderate_statement(statement, by=people["city_coordinator"], accept=False)
    assert "reason" in error.value.message_dict
    services.moderate_statement(
        statement, by=people["network_coordinator"], accept=False, reason="Names a neighbour"
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.REJECTED
    assert statement.moderation_reason == "Names a neighbour"
    assert statement.moderated_by == people["network_coordinator"]


def test_other_citys_coordinator_may_not_moderate(people, consultation):
    statement = StatementFactory(consultation=consultation)
    with pytest.raises(PermissionDenied):
        services.moderate_statement(statement, by=people["other_city_coordinator"], accept=True)


def test_a_new_vote_replaces_the_old_one(consultation, anonymous):
    statement = StatementFactory(consultation=consultation)
    participant = ParticipantFactory(consultation=consultation)
    services.cast_vote(participant, statement, 1, by=anonymous)
    services.cast_vote(participant, statement, -1, by=anonymous)
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    consultation.refresh_from_db()
    assert consultation.votes_cast == 2


def test_no_vote_on_a_statement_waiting_for_moderation(consultation, anonymous):
    statement = StatementFactory(consultation=consultation, status=Statement.Status.PENDING)
    participant = ParticipantFactory(consultation=consultation)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(participant, statement, 1, by=anonymous)
    assert "statement" in error.value.message_dict


def test_no_vote_outside_the_opening_dates(consultation, anonymous):
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.opens_at = timezone.now() - timedelta(days=2)
    consultation.save()
    statement = StatementFactory(consultation=consultation)
    participant = ParticipantFactory(consultation=consultation)
    with pytest.raises(PermissionDenied):
        services.cast_vote(participant, statement, 1, by=anonymous)
    assert not Vote.objects.exists()


def test_a_vote_that_is_not_agree_disagree_or_pass_is_refused(consultation, anonymous):
    statement = StatementFactory(consultation=consultation)
    participant = ParticipantFactory(consultation=consultation)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(participant, statement, 2, by=anonymous)
    assert "value" in error.value.message_dict


def test_votes_are_rate_limited_per_participant(consultation, anonymous, settings):
    statement = StatementFactory(consultation=consultation)
    participant = ParticipantFactory(consultation=consultation)
    for _ in range(services.VOTE_LIMIT[0]):
        services.cast_vote(participant, statement, 1, by=anonymous)
    with pytest.raises(services.RateLimited):
        services.cast_vote(participant, statement, 0, by=anonymous)


def _vote_all(consultation, participants, statements, value_of, anonymous):
    for p_index, participant in enumerate(participants):
        for s_index, statement in enumerate(statements):
            services.cast_vote(participant, statement, value_of(p_index, s_index), by=anonymous)


def test_groups_are_recomputed_after_votes_throttled(
    consultation, anonymous, settings, django_capture_on_commit_callbacks
):
    settings.CONET_CONSULTATION_RECOMPUTE_SECONDS = 3600
    settings.CONET_CONSULTATION_RECOMPUTE_VOTES = 10
    statements = StatementFactory.create_batch(8, consultation=consultation)
    participants = ParticipantFactory.create_batch(20, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(participants[0], statements[0], 1, by=anonymous)
    first = OpinionResult.objects.get(consultation=consultation)
    assert first.votes_used == 1  # the first vote computes at once

    with django_capture_on_commit_callbacks(execute=True):
        for statement in statements[1:]:
            services.cast_vote(participants[0], statement, 1, by=anonymous)
    assert OpinionResult.objects.get().votes_used == 1  # 7 new votes: under the threshold

    with django_capture_on_commit_callbacks(execute=True):
        _vote_all(
            consultation, participants[1:], statements,
            lambda p, s: 1 if (p % 2 == 0) == (s % 2 == 0) else -1, anonymous,
        )  # fmt: skip
    result = OpinionResult.objects.get()
    assert result.votes_used == 8 * 20
    assert result.participants_placed == 20
    assert result.group_count == 2
    groups = {tuple(row[3] for row in result.data["participants"][i::2]) for i in (0, 1)}
    assert all(len(set(g)) == 1 for g in groups)  # the two camps are the two groups


def test_old_result_is_recomputed_after_the_interval(consultation, anonymous, settings):
    settings.CONET_CONSULTATION_RECOMPUTE_SECONDS = 10
    statement = StatementFactory(consultation=consultation)
    participant = ParticipantFactory(consultation=consultation)
    services.cast_vote(participant, statement, 1, by=anonymous)
    services.maybe_recompute(consultation)
    services.cast_vote(participant, statement, -1, by=anonymous)
    assert services.maybe_recompute(consultation).votes_cast == 1  # fresh: kept
    OpinionResult.objects.update(computed_at=timezone.now() - timedelta(seconds=11))
    assert services.maybe_recompute(consultation).votes_cast == 2


def test_rejected_statements_votes_leave_the_computation(people, consultation, anonymous):
    kept, rejected = StatementFactory.create_batch(2, consultation=consultation)
    participant = ParticipantFactory(consultation=consultation)
    services.cast_vote(participant, kept, 1, by=anonymous)
    services.cast_vote(participant, rejected, 1, by=anonymous)
    services.moderate_statement(
        rejected, by=people["platform_admin"], accept=False, reason="Off topic"
    )
    result = services.recompute(consultation)
    assert result.votes_used == 1
    assert set(result.data["statements"]) == {str(kept.pk)}
    assert Participant.objects.count() == 1
