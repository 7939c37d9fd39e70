"""Factories for every model the tests need; one place, as STYLE.md asks."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conet.accounts.models import ApiToken, Invitation, Membership, Role, User
from conet.accounts.services import create_api_token
from conet.core.models import ActivityEvent
from conet.networks.models import City, CoreTask, FactSheet, Network, Organisation, Partnership

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    acronym = factory.Sequence(lambda n: f"N{n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    theme = "Social cohesion"
    objectives = "- Learn together"
    start_date = date(2024, 1, 1)
    end_date = date(2026, 12, 31)
    status = Network.Status.IMPLEMENTATION


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "DE"
    population = 100_000
    latitude = factory.Sequence(lambda n: Decimal("40") + Decimal(n % 20) / 2)
    longitude = factory.Sequence(lambda n: Decimal("5") + Decimal(n % 30) / 2)
    languages = "de"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory)
    role = Partnership.Role.PARTNER


class FactSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactSheet

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.NETWORK_COORDINATOR
    network = factory.SubFactory(NetworkFactory)
    city = None


def activity(scope, kind: str = "update", text: str = "Something happened", **fields):
    return ActivityEvent.objects.create(
        kind=kind,
        scope_type=ContentType.objects.get_for_model(scope),
        scope_id=scope.pk,
        text=text,
        **fields,
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation; pass `token=` to know the link's secret (only its hash is stored)."""

    class Meta:
        model = Invitation

    class Params:
        token = factory.Sequence(lambda n: f"invitation-token-{n}")

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Role.EXPERT
    network = factory.SubFactory(NetworkFactory)
    city = None
    invited_by = factory.SubFactory(UserFactory)
    token_hash = factory.LazyAttribute(lambda o: Invitation.hash_token(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


def api_headers(user) -> dict:
    """Headers that sign a request in as `user` with a real API token (none for a visitor)."""
    if user is None:
        return {}
    _token, key = create_api_token(user, name="tests")
    return {"Authorization": f"Bearer {key}"}


def stored_rows() -> dict:
    """Every row the accounts, networks and activity models hold, to show that a refusal changed nothing.

    Signing in is not a change: users are compared without `last_login`, API tokens without
    `last_used_at`.
    """
    models = [Membership, Invitation, Network, City, Partnership, CoreTask, ActivityEvent]
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    user_fields = [
        field.attname for field in User._meta.concrete_fields if field.name != "last_login"
    ]
    rows["User"] = list(User.objects.order_by("pk").values(*user_fields))
    rows["ApiToken"] = list(ApiToken.objects.order_by("pk").values("pk", "user_id", "key_hash"))
    return rows


# The role × action matrix: what each role in tests.conftest.ROLES should get from one action.
ALLOWED = "allowed"
SIGN_IN = "sign_in"  # a visitor is sent to the login page


def outcome_table(
    allowed: set[str], *, refused: int = 403, visitor: str | int = SIGN_IN
) -> dict[str, str | int]:
    """Every role → ALLOWED if it is in `allowed`, else the refusal it gets (a status or SIGN_IN)."""
    from tests.conftest import ROLES

    assert allowed <= set(ROLES), allowed - set(ROLES)
    return {
        role: ALLOWED if role in allowed else visitor if role == "visitor" else refused
        for role in ROLES
    }


def assert_refused(response, outcome: str | int) -> None:
    """A refused web request: a visitor is sent to sign in, anyone else gets the status."""
    if outcome == SIGN_IN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == outcome


def form_data(form, **changes) -> dict:
    """What a browser sends back for an unbound form, with `changes` typed in."""
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


# Consultations (opinion mapping) ----------------------------------------------------------------


def _yesterday():
    import datetime

    from django.utils import timezone as tz

    return tz.now() - datetime.timedelta(days=1)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consultations.Consultation"

    city = factory.SubFactory(CityFactory)
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    question = factory.Sequence(lambda n: f"What should change in neighbourhood {n}?")
    language = "en"
    opens_at = factory.LazyFunction(_yesterday)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consultations.Statement"

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Statement number {n}")
    status = "accepted"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consultations.Participant"

    consultation = factory.SubFactory(ConsultationFactory)
    device_hash = factory.Sequence(lambda n: f"{n:064x}")


# Local Support Groups and Local Action Plans -----------------------------------------------------


class LocalSupportGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "localgroups.LocalSupportGroup"

    partnership = factory.SubFactory(PartnershipFactory)


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "localgroups.Stakeholder"

    group = factory.SubFactory(LocalSupportGroupFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n}")
    sector = "civic"
    kind = "primary"
    power = 3
    interest = 4


class LocalActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.LocalActionPlan"

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Local Action Plan {n}")


class ProblemNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.ProblemNode"

    plan = factory.SubFactory(LocalActionPlanFactory)
    kind = "core"
    statement = factory.Sequence(lambda n: f"Problem {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Objective"

    plan = factory.SubFactory(LocalActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Indicator"

    objective = factory.SubFactory(ObjectiveFactory)
    kind = "result"
    definition = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    baseline = Decimal("10")
    target = Decimal("50")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Action"

    plan = factory.SubFactory(LocalActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Action {n}")
    lead = "City council"
    start_date = date(2026, 1, 1)
    end_date = date(2026, 12, 31)
    cost = Decimal("10000")
    funding_source = "ERDF"


class PeerReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.PeerReview"

    plan = factory.SubFactory(LocalActionPlanFactory)
    review_round = 1
    reviewer = factory.SubFactory(UserFactory)
    coherence = 4
    feasibility = 3
    integrated_approach = 5


# Neighbourhood monitoring (conet/monitoring) ----------------------------------------------------


class AreaLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.AreaLevel"
        django_get_or_create = ("city", "code")

    city = factory.SubFactory(CityFactory)
    code = "area"
    name = "Planning area"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.Area"

    level = factory.SubFactory(AreaLevelFactory)
    city = factory.SelfAttribute("level.city")
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class MonitoringIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.Indicator"

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.Observation"

    area = factory.SubFactory(AreaFactory)
    indicator = factory.SubFactory(
        MonitoringIndicatorFactory, city=factory.SelfAttribute("..area.city")
    )
    period = "2021"
    value = 1.0


def photo_bytes(size=(64, 48), colour=(200, 180, 40), format="JPEG", exif=None) -> bytes:
    """A small real image, as a camera or a phone would upload it (`exif`: a PIL.Image.Exif)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(buffer, format=format, **options)
    return buffer.getvalue()


def photo_upload(name="photo.jpg", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, photo_bytes(**kwargs), content_type="image/jpeg")


def add_photo(obj, *, by=None, alt_text="A street with lamps", **kwargs):
    """A photo of `obj` through the service, by a platform admin unless `by` is given."""
    from conet.core.photos import services

    if by is None:
        by = UserFactory(is_staff=True)
    return services.add_photo(obj, photo_upload(**kwargs), by=by, alt_text=alt_text)
