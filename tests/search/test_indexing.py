"""The index follows every save and delete of a registered model, in the background, on commit."""

import pytest

from conet.search import registry, services
from conet.search.models import IndexCounter, SearchDocument, SearchVector
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_saving_a_registered_model_indexes_it_after_commit(
    organisation_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation = OrganisationFactory(
            name="CESIE", description="Research and education", country="it", city_name="Palermo"
        )
        assert not SearchDocument.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    document = SearchDocument.objects.get(kind="organisation", object_id=organisation.pk)
    assert (document.title, document.summary, document.country, document.city) == (
        "CESIE",
        "Research and education",
        "IT",
        "Palermo",
    )


def test_a_change_updates_the_document_and_a_delete_removes_it(
    organisation_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(name="Old name")
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "New name"
        organisation.save()
    assert SearchDocument.objects.get(object_id=organisation.pk).title == "New name"
    pk = organisation.pk
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()
    assert not SearchDocument.objects.filter(kind="organisation", object_id=pk).exists()


def test_a_thing_that_is_no_longer_public_leaves_the_index(
    organisation_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(slug="open-house")
    with django_capture_on_commit_callbacks(execute=True):
        organisation.slug = "private-house"
        organisation.save()
    assert not SearchDocument.objects.exists()


def test_models_that_are_not_registered_are_left_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OrganisationFactory()
    assert callbacks == []
    assert registry.searchable_for_model(SearchDocument) is None


def test_an_unchanged_save_writes_nothing_and_embeds_nothing_again(
    organisation_kind, topics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(name="Housing office", description="Homeless help")
    document = SearchDocument.objects.get()
    assert SearchVector.objects.filter(document=document, chunk=0).count() == 1
    counter = IndexCounter.objects.get().value
    calls = len(topics.calls)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()
    assert IndexCounter.objects.get().value == counter
    assert len(topics.calls) == calls


def test_title_and_summary_are_embedded_apart_from_the_body_in_chunks(topics, add_document):
    body = " ".join(["school"] * 450)
    document = add_document(1, "A school garden", summary="Pupils grow food", body=body)
    chunks = list(SearchVector.objects.filter(document=document).values_list("chunk", flat=True))
    assert sorted(chunks) == [0, 1, 2, 3]  # title+summary, then 450 words in three windows
    assert all(vector.backend == topics.name for vector in SearchVector.objects.all())


def test_a_changed_summary_drops_only_the_short_vector(topics, add_document):
    add_document(1, "A school garden", summary="Pupils grow food", body="long body text")
    document = services.upsert_document(
        "practice",
        1,
        registry.SearchDocumentData(
            title="A school garden", url="/practice/1/", language="en", body="long body text"
        ),
    )
    assert list(SearchVector.objects.filter(document=document).values_list("chunk", flat=True)) == [
        1
    ]
    assert document.short_embedded == ""
    assert document.body_embedded != ""


def test_without_embeddings_nothing_is_embedded_and_nothing_fails(add_document):
    document = add_document(1, "A school garden", summary="Pupils grow food", body="text")
    assert not SearchVector.objects.exists()
    assert services.embed_short(document.pk) is False
    assert services.embed_body(document.pk) is False


def test_a_text_changed_while_it_was_embedded_keeps_no_stale_vector(topics, add_document):
    document = add_document(1, "Old title")
    SearchVector.objects.all().delete()
    SearchDocument.objects.filter(pk=document.pk).update(short_embedded="")
    stored = services._store(
        document.pk, "short", "a hash of another text", "key", topics.name, {0: [0.0] * 5}
    )
    assert stored is False
    assert not SearchVector.objects.exists()


def test_city_population_gives_the_size_class(add_document):
    small = add_document(1, "A", city_population=12_000)
    medium = add_document(2, "B", city_population=250_000)
    large = add_document(3, "C", city_population=3_600_000)
    unknown = add_document(4, "D")
    assert [d.city_size for d in (small, medium, large, unknown)] == [
        "small",
        "medium",
        "large",
        "",
    ]
