"""Editing an interview never fails with a server error: withdrawing consent from a published one
takes it off the site, as the service promises."""

import pytest

from conet.practices.models import Interview
from tests.practices.factories import InterviewAnswerFactory

pytestmark = pytest.mark.django_db


def _form(interview, **changes):
    data = {
        "version": interview.version, "person_name": interview.person_name,
        "person_role": "Mayor", "interviewed_on": "2010-05-01", "language": "en",
        "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "0",
        "answers-0-question": "Why?", "answers-0-answer": "Because.",
    }  # fmt: skip
    data.update(changes)
    return data


def test_withdrawing_consent_from_a_published_interview_in_the_form_unpublishes_it(
    people, client_as, network
):
    interview = InterviewAnswerFactory(
        interview__network=network, interview__status="published",
        interview__consent_to_publish=True, question="Why?",
    ).interview  # fmt: skip
    client = client_as(people["network_coordinator"])
    client.raise_request_exception = False
    response = client.post(
        f"/en/networks/{network.slug}/interviews/{interview.pk}/edit/", _form(interview)
    )  # no "consent_to_publish": the box is unticked
    assert response.status_code in {302, 200}
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.consent_to_publish is False
    assert interview.status == "draft"
