"""Every edit names the version it started from: a stale one and a missing one are refused alike,
over the socket and over HTTP, and change nothing (a missing one would overwrite whatever someone
else saved since)."""

import asyncio
import json

import pytest
from django.urls import reverse

from conet.workshops import services
from conet.workshops.models import Cluster, Proposal
from tests.workshops.factories import ClusterFactory, join, open_phase
from tests.workshops.live import BoardClient, served


def _stored(proposal):
    return Proposal.objects.values("title", "version").get(pk=proposal.pk)


@pytest.mark.django_db(transaction=True)
def test_a_proposal_edit_over_the_socket_without_or_with_a_stale_version_is_a_conflict(workshop):
    open_phase(workshop, "implementation")
    participant, token = join(workshop)
    proposal = services.create_proposal(
        workshop, fields={"title": "Solar lamps"}, participant=participant
    )
    services.update_proposal(
        proposal, expected_version=proposal.version, fields={"title": "Solar lamps on every street"},
        participant=participant,
    )  # fmt: skip
    before = _stored(proposal)
    edits = {
        "missing": {"id": proposal.pk, "fields": {"title": "Overwritten"}},
        "stale": {"id": proposal.pk, "version": proposal.version, "fields": {"title": "Stale"}},
        "current": {"id": proposal.pk, "version": before["version"], "fields": {"title": "Kept"}},
    }

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token).connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        answers = {}
        for ref, edit in edits.items():
            await phone.send_raw(json.dumps({"type": "proposal", "ref": ref, **edit}))
            await phone.wait_until(lambda ref=ref: phone.reply_to(ref) is not None)
            answers[ref] = phone.reply_to(ref)
        await phone.close()
        return answers

    with served() as port:
        answers = asyncio.run(scenario(port))

    assert answers["missing"]["type"] == "error" and answers["missing"]["code"] == "conflict"
    assert answers["stale"]["type"] == "error" and answers["stale"]["code"] == "conflict"
    assert answers["current"]["type"] == "ack", answers["current"]
    # One version further: the two refused edits changed nothing.
    assert _stored(proposal) == {"title": "Kept", "version": before["version"] + 1}


JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "0"])
def test_a_facilitators_cluster_edit_without_or_with_a_stale_version_is_a_conflict(
    workshop, facilitator, client_as, version
):
    open_phase(workshop, "critique", step="cluster")
    cluster = ClusterFactory(workshop=workshop, title="Dark streets")
    data = {"title": "Renamed"} | ({"version": version} if version else {})
    url = reverse("workshops:cluster_edit", args=[workshop.pk, cluster.pk])
    response = client_as(facilitator).post(url, data, **JSON)
    assert response.status_code == 409 and response.json()["error"] == "conflict"
    assert Cluster.objects.values_list("title", "version").get(pk=cluster.pk) == (
        "Dark streets",
        cluster.version,
    )
    data["version"] = str(cluster.version)
    assert client_as(facilitator).post(url, data, **JSON).status_code == 200
    assert Cluster.objects.get(pk=cluster.pk).title == "Renamed"


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "0"])
def test_a_facilitators_proposal_edit_without_or_with_a_stale_version_is_a_conflict(
    workshop, facilitator, client_as, version
):
    open_phase(workshop, "implementation")
    proposal = services.create_proposal(workshop, fields={"title": "Solar lamps"}, by=facilitator)
    data = {"title": "Overwritten"} | ({"version": version} if version else {})
    url = reverse("workshops:proposal_edit", args=[workshop.pk, proposal.pk])
    response = client_as(facilitator).post(url, data, **JSON)
    assert response.status_code == 409 and response.json()["error"] == "conflict"
    assert _stored(proposal) == {"title": "Solar lamps", "version": proposal.version}
