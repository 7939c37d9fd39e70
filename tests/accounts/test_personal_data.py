"""Articles 15, 17 and 20: a person downloads everything CoNet holds about them, and nothing of anyone
else's; deleting the account removes the person and their personal data and keeps what the record
needs, without their name."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conet.accounts.models import ApiToken, Invitation, Membership, Role, User
from conet.accounts.services import create_api_token
from conet.actionplans.models import Draft, PlanComment, PlanSection
from conet.consultations import services as consultation_services
from conet.consultations.models import Vote
from conet.core.formatting import FORMER_MEMBER
from conet.core.languages import in_language
from conet.core.models import ActivityEvent, Photo
from conet.exchange.models import ExpertProfile, SupportRequest, VisitReport
from conet.localgroups.models import Stakeholder
from conet.meetings.models import MeetingDocument, Registration
from conet.notifications.models import Notification
from conet.notifications.services import notify, set_email_preference
from conet.workshops import services as workshop_services
from conet.workshops.models import Card, Dot, WorkshopEvent
from conet.workshops.models import Participant as WorkshopParticipant
from tests.exchange.factories import AvailabilityFactory, ExpertProfileFactory, VisitFactory
from tests.factories import (
    PASSWORD,
    ConsultationFactory,
    InvitationFactory,
    LocalActionPlanFactory,
    LocalSupportGroupFactory,
    MembershipFactory,
    StakeholderFactory,
    StatementFactory,
    UserFactory,
    activity,
    add_photo,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.workshops.factories import ClusterFactory, WorkshopFactory, open_phase
from tests.workshops.factories import join as join_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def give_everything(
    user, mark: str, *, city, network, plan, group, workshop, consultation, cluster
) -> dict:
    """One of each kind of personal data for `user`, every text carrying `mark`."""
    MembershipFactory(user=user, role=Role.LSG_MEMBER, network=None, city=city)
    InvitationFactory(email=user.email, message=f"{mark} invitation")
    _token, key = create_api_token(user, name=f"{mark} token")
    activity(city, text=f"{mark} activity", actor=user)
    PlanComment.objects.create(plan=plan, author=user, text=f"{mark} comment")
    PlanSection.objects.create(
        plan=plan,
        kind="context" if mark == "ALICE" else "evidence",
        text=f"{mark} section",
        updated_by=user,
    )
    Draft.objects.create(
        plan=plan, user=user, key="section-context", data={"text": f"{mark} draft"}
    )
    StakeholderFactory(
        group=group,
        user=user,
        name=f"{mark} stakeholder",
    )
    meeting = MeetingFactory(network=network, title=f"{mark} meeting")
    RegistrationFactory(
        meeting=meeting, user=user, needs_consent=True, accessibility_needs=f"{mark} needs"
    )
    MeetingDocument.objects.create(
        meeting=meeting,
        title=f"{mark} document",
        file=SimpleUploadedFile(f"{mark}-agenda.txt", f"{mark} file content".encode()),
        content_type="text/plain",
        size=20,
        uploaded_by=user,
    )
    photo = add_photo(meeting, alt_text=f"{mark} photo")
    Photo.objects.filter(pk=photo.pk).update(uploaded_by=user, credit=f"{mark} CC BY 4.0")
    profile = ExpertProfileFactory(user=user, headline=f"{mark} expert")
    AvailabilityFactory(profile=profile, note=f"{mark} availability")
    request = SupportRequest.objects.create(
        **{
            field: getattr(_request_template(city, network), field)
            for field in ["partnership_id", "project", "problem", "know_how", "languages"]
        },
        title=f"{mark} request",
        created_by=user,
    )
    VisitReport.objects.create(
        visit=VisitFactory(request=request), side="host", author=user, understood=f"{mark} report"
    )
    notify([user], "message", {"text": f"{mark} notification"})
    set_email_preference(user, "off")
    participant, _raw = join_workshop(workshop, name=f"{mark} participant")
    WorkshopParticipant.objects.filter(pk=participant.pk).update(user=user)
    workshop_services.post_card(workshop, text=f"{mark} card", participant=participant)
    Dot.objects.create(participant=participant, cluster=cluster, phase=cluster.phase)
    voter = consultation_services.participant_for(consultation, user=user)
    statement = StatementFactory(consultation=consultation, text=f"{mark} statement", author=voter)
    Vote.objects.create(participant=voter, statement=statement, value=1)
    return {"key": key}


def _request_template(city, network):
    return SupportRequest(
        partnership=city.partnerships.get(network=network),
        project="Neighbourhood table",
        problem="Departments plan separately.",
        know_how="How to run a neighbourhood table.",
        languages="en",
    )


@pytest.fixture
def two_people(city, network, people):
    board = WorkshopFactory(city=city, network=None, created_by=people["city_coordinator"])
    phase = open_phase(board, "critique", "write")
    cluster = ClusterFactory(workshop=board, phase=phase)
    consultation = ConsultationFactory(city=city)
    partnership = city.partnerships.get(network=network)
    plan = LocalActionPlanFactory(partnership=partnership)
    group = LocalSupportGroupFactory(partnership=partnership)
    alice = UserFactory(name="Alice Arendt", email="alice@example.org")
    bob = UserFactory(name="Bob Bachmann", email="bob@example.org")
    scope = {
        "city": city,
        "network": network,
        "plan": plan,
        "group": group,
        "workshop": board,
        "consultation": consultation,
        "cluster": cluster,
    }
    secrets = give_everything(alice, "ALICE", **scope)
    give_everything(bob, "BOB", **scope)
    return alice, bob, secrets


def _download(client, user) -> dict[str, bytes]:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist()}


def test_download_holds_every_kind_of_the_persons_data_and_nothing_of_anyone_else(
    two_people, client
):
    alice, _bob, secrets = two_people
    files = _download(client, alice)
    parts = {name[:-5]: json.loads(data) for name, data in files.items() if name.endswith(".json")}
    everything = b"".join(files.values()).decode(errors="replace")  # a photo is binary

    assert parts["account"]["profile"]["email"] == "alice@example.org"
    assert "password" not in parts["account"]["profile"]
    assert [m["role"] for m in parts["account"]["memberships"]] == ["lsg_member"]
    assert parts["account"]["invitations_received"][0]["message"] == "ALICE invitation"
    assert [t["name"] for t in parts["account"]["api_tokens"]] == ["ALICE token"]
    assert parts["account"]["activity"][0]["text"] == "ALICE activity"
    assert parts["actionplans"]["comments"][0]["text"] == "ALICE comment"
    assert parts["actionplans"]["drafts"][0]["data"] == {"text": "ALICE draft"}
    assert parts["localgroups"]["stakeholder_entries"][0]["name"] == "ALICE stakeholder"
    registration = parts["meetings"]["registrations"][0]
    assert registration["accessibility_needs"] == "ALICE needs"
    assert parts["meetings"]["documents_uploaded"][0]["title"] == "ALICE document"
    assert parts["exchange"]["expert_profile"]["headline"] == "ALICE expert"
    assert parts["exchange"]["availability"][0]["note"] == "ALICE availability"
    assert parts["exchange"]["support_requests_written"][0]["title"] == "ALICE request"
    assert parts["exchange"]["visit_reports_written"][0]["understood"] == "ALICE report"
    assert parts["notifications"]["notifications"][0]["params"] == {"text": "ALICE notification"}
    assert parts["notifications"]["preference"]["email"] == "off"
    assert parts["workshops"]["participations"][0]["display_name"] == "ALICE participant"
    assert parts["workshops"]["cards"][0]["text"] == "ALICE card"
    assert len(parts["workshops"]["dots"]) == 1
    assert parts["consultations"]["votes"][0]["statement_text"] == "ALICE statement"
    assert parts["consultations"]["statements"][0]["text"] == "ALICE statement"
    # Dates are ISO 8601.
    assert "T" in parts["account"]["profile"]["date_joined"]
    # The uploaded file itself, with its content.
    [document] = [name for name in files if name.startswith("files/meetings/")]
    assert files[document] == b"ALICE file content"
    [photo] = parts["photos"]["photos_uploaded"]
    assert photo["alt_text"] == "ALICE photo" and photo["object"] == "meetings.meeting"
    assert photo["address"].startswith("http") and photo["address"].endswith("-1600.jpg")
    [picture] = [name for name in files if name.startswith("files/photos/")]
    assert picture.endswith("-1600.jpg") and files[picture][:2] == b"\xff\xd8"  # the JPEG

    assert "BOB" not in everything
    assert "bob@example.org" not in everything
    # Secrets never leave: not the API key, not its hash, not a device's hash.
    token = ApiToken.objects.get(user=alice)
    assert secrets["key"] not in everything and token.key_hash not in everything
    assert token.prefix not in everything
    assert "token_hash" not in everything and "device_hash" not in everything


def test_deleting_the_account_removes_the_person_and_keeps_the_record_anonymised(
    two_people, client
):
    alice, bob, _secrets = two_people
    card = Card.objects.get(text="ALICE card")
    vote = Vote.objects.get(statement__text="ALICE statement")
    section = PlanSection.objects.get(text="ALICE section")
    request = SupportRequest.objects.get(title="ALICE request")
    document = MeetingDocument.objects.get(title="ALICE document")
    photo = Photo.objects.get(alt_text="ALICE photo")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(reverse("accounts:my_data"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(email="alice@example.org").exists()
    # Personal data: gone.
    assert not Membership.objects.filter(user_id=alice.pk).exists()
    assert not ApiToken.objects.filter(user_id=alice.pk).exists()
    assert not Invitation.objects.filter(email="alice@example.org").exists()
    assert not PlanComment.objects.filter(text="ALICE comment").exists()
    assert not Draft.objects.filter(user_id=alice.pk).exists()
    assert not Registration.objects.filter(accessibility_needs="ALICE needs").exists()
    assert not ExpertProfile.objects.filter(headline="ALICE expert").exists()
    assert not Notification.objects.filter(recipient_id=alice.pk).exists()
    assert not WorkshopParticipant.objects.filter(display_name="ALICE participant").exists()
    stakeholder = Stakeholder.objects.get(
        user__isnull=True, power=3, interest=4, name=FORMER_MEMBER
    )
    assert stakeholder.email == "" and stakeholder.notes == ""
    # The record: kept, signed by nobody.
    card.refresh_from_db()
    assert card.text == "ALICE card"
    assert card.participant.display_name == "" and card.participant.user is None
    vote.refresh_from_db()
    assert vote.participant.user is None and vote.value == 1
    assert vote.participant.device_hash.startswith("erased:")
    section.refresh_from_db()
    assert section.text == "ALICE section" and section.updated_by is None
    request.refresh_from_db()
    assert request.title == "ALICE request" and request.created_by is None
    document.refresh_from_db()
    assert document.uploaded_by is None
    # The photo stays on its page with its texts and files; it forgets who uploaded it.
    photo.refresh_from_db()
    assert photo.uploaded_by is None and photo.credit == "ALICE CC BY 4.0"
    assert photo.large.storage.exists(photo.large.name)
    event = ActivityEvent.objects.get(text="ALICE activity")
    assert event.actor is None
    assert "ALICE participant" not in json.dumps(
        list(WorkshopEvent.objects.values_list("payload", flat=True))
    )
    # The other person is untouched.
    assert User.objects.filter(pk=bob.pk).exists()
    assert WorkshopParticipant.objects.filter(display_name="BOB participant").exists()
    # Signed out.
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_a_wrong_password_deletes_nothing(two_people, client):
    alice, _bob, _secrets = two_people
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:my_data"), {"password": "not it"})
    assert response.status_code == 422
    assert User.objects.filter(pk=alice.pk).exists()
    assert Membership.objects.filter(user=alice).exists()


def test_the_only_coordinator_of_a_city_cannot_delete_the_account(people, client):
    coordinator = people["city_coordinator"]
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("accounts:my_data"))
    assert "only coordinator of Partner City" in page.content.decode()

    response = client.post(reverse("accounts:my_data"), {"password": PASSWORD})

    assert response.status_code == 422
    assert "Invite someone to take over the role first" in response.content.decode()
    assert User.objects.filter(pk=coordinator.pk).exists()


def test_a_coordinator_with_a_co_coordinator_may_delete_the_account(people, city, client):
    coordinator = people["city_coordinator"]
    MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city)
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:my_data"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=coordinator.pk).exists()


def test_the_feed_reads_a_former_member_in_the_readers_language(people, city):
    from django.utils import translation

    from conet.accounts.services import delete_account
    from conet.core.activity import describe

    person = people["lsg_member"]
    event = activity(city, kind="update", text="", actor=people["city_coordinator"])
    event.data = {"name": person.name}
    event.save()
    delete_account(person, password=PASSWORD)
    event.refresh_from_db()
    assert event.data == {"name": FORMER_MEMBER}
    with translation.override("de"):
        from conet.core.formatting import readable_days

        assert readable_days(event.data) == {"name": "ein ehemaliges Mitglied"}
    assert describe(event) is not None


@pytest.mark.parametrize(
    ("language", "heading", "explanation", "refusal"),
    [
        ("en", "Download my data", "a former member", "Invite someone to take over the role"),
        (
            "de",
            "Meine Daten herunterladen",
            "ein ehemaliges Mitglied",
            "Laden Sie zuerst jemanden ein, der die Rolle übernimmt",
        ),
    ],
)
def test_my_data_page_explains_itself_in_the_persons_language(
    language, heading, explanation, refusal, people, client
):
    person = people["lsg_member"]
    person.language = language
    person.save(update_fields=["language"])
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(in_language(reverse("accounts:my_data"), language)).content.decode()
    assert heading in html and explanation in html
    assert (
        in_language(reverse("accounts:my_data"), language)
        in client.get(in_language(reverse("accounts:dashboard"), language)).content.decode()
    )

    coordinator = people["city_coordinator"]
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        in_language(reverse("accounts:my_data"), language), {"password": PASSWORD}
    )
    assert refusal in response.content.decode()
