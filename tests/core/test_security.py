"""Security baseline: production headers, CSRF on forms, login throttling, safe Markdown."""

import pytest
from django.test import Client

from conet.core.markdown import render_markdown
from tests.factories import PASSWORD, UserFactory
from tests.processes import run_conet

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "conet.example.org",
    "CONET_DATA_DIR": "",  # filled per test
}


def test_check_deploy_is_clean_under_documented_production_settings(tmp_path):
    result = run_conet(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "CONET_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_csp_hsts_and_frame_headers(client):
    response = client.get("/en/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "tile.openstreetmap.org" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_by_default(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/networks/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_production_cookies_are_secure_and_http_only(settings):
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_forms_are_refused_without_csrf_token(people, network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        people["network_coordinator"], backend="django.contrib.auth.backends.ModelBackend"
    )
    response = client.post(
        f"/en/networks/{network.slug}/updates/", {"text": "Hi", "language": "en"}
    )
    assert response.status_code == 403
    assert "The form expired" in response.content.decode()


@pytest.mark.django_db
def test_every_form_page_has_a_csrf_token(client_as, people, network, city):
    client = client_as(people["platform_admin"])
    for url in [
        f"/en/networks/{network.slug}/edit/",
        f"/en/networks/{network.slug}/partners/",
        f"/en/networks/{network.slug}/members/",
        f"/en/cities/{city.slug}/edit/",
        "/en/accounts/tokens/",
    ]:
        body = client.get(url).content.decode()
        assert body.count("<form") == body.count("csrfmiddlewaretoken"), url


@pytest.mark.django_db
def test_login_is_locked_after_five_wrong_passwords(client):
    user = UserFactory(email="officer@example.org")
    for _attempt in range(5):
        response = client.post("/en/accounts/login/", {"username": user.email, "password": "wrong"})
        assert response.status_code in {200, 429}
    response = client.post("/en/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_right_password_signs_in(client):
    user = UserFactory(email="officer@example.org")
    response = client.post(
        "/en/accounts/login/", {"username": "Officer@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_wrong_login_shows_the_reason_next_to_the_form(client):
    UserFactory(email="officer@example.org")
    response = client.post(
        "/en/accounts/login/", {"username": "officer@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()


def test_markdown_drops_scripts_and_javascript_links():
    html = render_markdown("Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**")
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<strong>bold</strong>" in html


@pytest.mark.django_db
def test_api_docs_page_loads_its_scripts_from_this_site(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body


def _wrong_passwords(client, username: str, times: int) -> None:
    for _attempt in range(times):
        client.post("/en/accounts/login/", {"username": username, "password": "wrong"})


@pytest.mark.django_db
def test_changing_the_case_of_the_email_does_not_escape_the_lockout(client):
    user = UserFactory(email="officer@example.org")
    for username in ["officer@example.org", "Officer@example.org", "OFFICER@EXAMPLE.ORG"]:
        _wrong_passwords(client, username, times=2)
    response = client.post("/en/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_behind_the_proxy_one_clients_wrong_passwords_do_not_lock_out_another(settings, client):
    settings.CONET_PROXY_COUNT = 1
    user = UserFactory(email="officer@example.org")
    for _attempt in range(5):
        client.post(
            "/en/accounts/login/",
            {"username": user.email, "password": "wrong"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    attacker = client.post(
        "/en/accounts/login/",
        {"username": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert attacker.status_code == 429
    owner = client.post(
        "/en/accounts/login/",
        {"username": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert owner.status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(settings, client):
    settings.CONET_PROXY_COUNT = 0
    user = UserFactory(email="officer@example.org")
    for n in range(5):
        client.post(
            "/en/accounts/login/",
            {"username": user.email, "password": "wrong"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
    response = client.post(
        "/en/accounts/login/",
        {"username": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.200"},
    )
    assert response.status_code == 429


def test_with_two_proxies_the_address_is_the_one_our_outer_proxy_saw(settings, rf):
    from conet.core.http import client_address

    settings.CONET_PROXY_COUNT = 2
    request = rf.get("/en/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert client_address(request) == "198.51.100.7"
