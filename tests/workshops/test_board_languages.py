"""The live board answers in the phone's language: every refusal sent over the socket, in each of
the ten languages, over real WebSocket connections; and a socket opened without a language falls
back to the resident's choice (the language cookie), then to the workshop's language, never to
English by default."""

import asyncio

import pytest
from django.conf import settings
from django.utils import translation

from tests.workshops.factories import join, open_phase
from tests.workshops.live import BoardClient, served

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


async def _refusals(port, workshop_id: int, token: str, language: str) -> dict[str, str]:
    """Provoke refusals of several kinds; {what was sent: (code, message)}."""
    phone = await BoardClient(port, workshop_id, token=token, language=language).connect()
    await asyncio.wait_for(phone.synced.wait(), 10)
    await phone.send_raw("{not json")
    await phone.send({"type": "card", "client_id": "nul", "ref": "nul", "text": "a\x00b"})
    await phone.send({"type": "move", "ref": "move", "card": 987654, "cluster": None})
    # Dots belong to a later phase than the critique.
    await phone.send({"type": "dot", "ref": "dot", "cluster": 1, "add": True})
    await phone.wait_until(lambda: len(phone.replies) >= 4, timeout=20)
    await phone.close()
    return {
        reply.get("ref") or "raw": (reply["code"], reply["message"])
        for reply in phone.replies
        if reply["type"] == "error"
    }


def test_every_refusal_over_the_socket_comes_in_each_of_the_ten_languages(workshop):
    open_phase(workshop, "critique")
    phones = {language: join(workshop, name=f"Phone {language}")[1] for language in LANGUAGES}

    async def scenario(port):
        return {
            language: await _refusals(port, workshop.pk, token, language)
            for language, token in phones.items()
        }

    with served() as port:
        answers = asyncio.run(scenario(port))

    english = answers["en"]
    assert set(english) == {"raw", "nul", "move", "dot"}, english
    assert len({message for _code, message in english.values()}) >= 3
    for language in LANGUAGES[1:]:
        assert set(answers[language]) == set(english), answers
        left_in_english = {
            sent: answer for sent, answer in answers[language].items() if answer == english[sent]
        }
        assert left_in_english == {}, f"{language}: {left_in_english}"
    with translation.override("it"):
        assert answers["it"]["raw"][1] == translation.gettext(
            "The board did not understand this message."
        )


def test_a_socket_without_a_language_answers_in_the_workshops_language(workshop):
    workshop.language = "ro"
    workshop.save(update_fields=["language"])
    open_phase(workshop, "critique")
    _participant, token = join(workshop)

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token).connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        await phone.send_raw("{not json")
        await phone.wait_until(lambda: phone.replies)
        await phone.close()
        return phone.replies[0]["message"]

    with served() as port:
        message = asyncio.run(scenario(port))
    with translation.override("ro"):
        romanian = translation.gettext("The board did not understand this message.")
    assert message == romanian != "The board did not understand this message."
