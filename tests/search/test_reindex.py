"""`conet reindex` rebuilds the index from each registered kind's queryset, with a progress bar."""

import io

import pytest
from django.core.management import CommandError, call_command

from conet.search.models import SearchDocument, SearchVector
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_documents_and_drops_the_stale_ones(organisation_kind, add_document):
    kept = OrganisationFactory(name="CESIE")  # saved outside a commit: not indexed yet
    OrganisationFactory(slug="private-one")  # not public: never indexed
    add_document(999, "A vanished organisation", kind="organisation")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=stdout, stderr=stderr)
    assert list(SearchDocument.objects.values_list("kind", "object_id")) == [
        ("organisation", kept.pk)
    ]
    assert "organisation: 1 documents" in stdout.getvalue()
    assert "full text only" in stdout.getvalue()
    assert "[##############################] 2/2" in stderr.getvalue()


def test_reindex_of_one_kind_leaves_the_others(organisation_kind, add_document):
    OrganisationFactory(name="CESIE")
    add_document(1, "A practice")
    call_command("reindex", "--kind", "organisation", stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(SearchDocument.objects.values_list("kind", flat=True)) == [
        "organisation",
        "practice",
    ]


def test_reindex_now_embeds_in_the_process(organisation_kind, topics):
    OrganisationFactory(name="School garden", description="Pupils grow vegetables")
    call_command("reindex", "--now", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(SearchVector.objects.values_list("chunk", flat=True)) == {0, 1} or set(
        SearchVector.objects.values_list("chunk", flat=True)
    ) == {0}


def test_an_unknown_kind_is_refused(organisation_kind):
    with pytest.raises(CommandError, match="unknown kind 'unicorn'"):
        call_command("reindex", "--kind", "unicorn")
