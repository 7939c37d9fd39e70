"""The frame around every page: error pages, legal pages, favicon, titles, the API docs' way back."""

import logging
import re

import pytest
from django.test import Client

from tests.processes import run_conet


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/it/w/ZZZZZZ/", "/no/such/page/"])
def test_a_mistyped_address_shows_conets_404_with_a_way_back(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina non trovata" in body
    assert 'action="/it/search/"' in body and 'name="q"' in body
    assert '<a href="/it/">Vai alla pagina iniziale</a>' in body
    assert "Using the URLconf" not in body  # Django's debug page lists every pattern


@pytest.mark.django_db
@pytest.mark.urls("tests.core.boom_urls")
def test_a_server_error_shows_a_reference_that_the_log_holds_with_the_traceback(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="conet.errors"):
        response = client.get("/boom/?x=1", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="de"' in body
    reference = re.search(r"<code>([0-9a-f]{12})</code>", body).group(1)
    assert 'action="/search/"' in body and '<a href="/">' in body
    record = next(r for r in caplog.records if r.name == "conet.errors")
    assert reference in record.getMessage()
    assert "GET /boom/?x=1 (user anonymous)" in record.getMessage()
    assert record.exc_info and "the database said no" in str(record.exc_info[1])


@pytest.mark.django_db
def test_a_refused_page_is_conets_403_with_a_way_back(client, people, network):
    client.force_login(people["signed_in"])
    response = client.get(f"/fr/networks/{network.slug}/members/")
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="fr"' in body and 'action="/fr/search/"' in body


@pytest.mark.django_db
def test_favicon_is_served_and_every_page_links_its_icons(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    page = client.get("/en/").content.decode()
    assert 'rel="icon" href="/static/conet/favicon.svg"' in page
    assert client.get("/static/conet/favicon.svg").status_code == 200


@pytest.mark.django_db
def test_sign_in_page_is_titled_with_the_sites_name_not_the_host(client, settings):
    settings.CONET_SITE_NAME = "CoNet Palermo"
    body = client.get("/en/accounts/login/", HTTP_HOST="127.0.0.1").content.decode()
    assert "<title>Sign in · CoNet Palermo</title>" in body
    assert "127.0.0.1" not in body.split("</head>")[0]


@pytest.mark.django_db
def test_api_docs_page_has_the_readers_language_and_a_link_back_to_the_site(client):
    body = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<html lang="pl">' in body
    assert '<a href="/pl/">← Wróć do CoNet</a>' in body


@pytest.mark.django_db
def test_every_page_links_the_legal_pages_in_its_footer(client):
    body = client.get("/de/").content.decode()
    footer = body.split('<footer class="site-footer')[1]
    for href, text in [
        ("/de/privacy/", "Datenschutzerklärung"),
        ("/de/imprint/", "Impressum"),
        ("/de/accessibility/", "Barrierefreiheit"),
        ("/api/v1/docs", "API"),
    ]:
        assert f'<a href="{href}">{text}</a>' in footer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading", "text"),
    [
        ("/it/privacy/", "Informativa sulla privacy", "Nessun tracciamento"),
        ("/it/imprint/", "Note legali", "non ha ancora pubblicato qui le sue note legali"),
        ("/it/accessibility/", "Dichiarazione di accessibilità", "WCAG) 2.1 al livello AA"),
    ],
)
def test_legal_pages_have_translated_defaults(client, path, heading, text):
    body = client.get(path).content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert text in body


@pytest.mark.django_db
def test_an_installation_sets_its_own_legal_text_per_language(client, settings, tmp_path):
    (tmp_path / "privacy.en.md").write_text("## Who we are\n\nThe City of Palermo.", "utf-8")
    (tmp_path / "privacy.it.md").write_text("## Chi siamo\n\nIl Comune di Palermo.", "utf-8")
    settings.CONET_PRIVACY_NOTICE = str(tmp_path / "privacy.{language}.md")
    settings.CONET_CONTACT_EMAIL = "privacy@comune.example"
    italian = client.get("/it/privacy/").content.decode()
    assert "<h2>Chi siamo</h2>" in italian and "Nessun tracciamento" not in italian
    # No German file: the English one, not the default text.
    german = client.get("/de/privacy/").content.decode()
    assert "The City of Palermo." in german
    # Defaults name the contact address when one is set.
    imprint = client.get("/en/imprint/").content.decode()
    assert 'href="mailto:privacy@comune.example"' in imprint


@pytest.mark.django_db
def test_a_legal_text_file_that_is_missing_falls_back_to_the_default_and_says_so(
    client, settings, caplog
):
    settings.CONET_IMPRINT = "/nowhere/imprint.md"
    with caplog.at_level(logging.WARNING, logger="conet.legal"):
        response = client.get("/en/imprint/")
    assert response.status_code == 200
    assert "has not published its imprint here yet" in response.content.decode()
    assert "CONET_IMPRINT names no readable file" in caplog.text


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # `make run`: no DEBUG (CoNet's own error pages) over plain http://127.0.0.1:8000.
        ({"CONET_LOCAL_HTTP": "1"}, "False False False 0 True"),
        # A public install: HTTPS only.
        ({}, "False True True 31536000 False"),
    ],
)
def test_the_local_demo_runs_without_debug_over_plain_http(tmp_path, env, expected):
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.WHITENOISE_AUTOREFRESH)"
    )
    result = run_conet(
        "shell", "-c", code, env={"CONET_DATA_DIR": str(tmp_path), "DEBUG": "", **env}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
