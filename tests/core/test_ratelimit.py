"""The one fixed-window counter behind the per-address limits."""

from conet.core.ratelimit import within_limit


def test_hits_pass_up_to_the_limit_then_are_refused():
    assert [within_limit("t:a", 3, 60) for _ in range(5)] == [True, True, True, False, False]
    assert within_limit("t:b", 3, 60)  # another key counts on its own


def test_no_limit_when_zero():
    assert all(within_limit("t:c", 0, 60) for _ in range(100))


def test_a_refunded_refusal_takes_no_place(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr("conet.core.ratelimit.time.time", lambda: 6000.0)
    assert [within_limit("t:d", 2, 60, refund=True) for _ in range(4)] == [
        True, True, False, False
    ]  # fmt: skip
    assert cache.get("ratelimit:t:d:100") == 2


def test_a_new_window_starts_afresh(monkeypatch):
    now = [6000.0]
    monkeypatch.setattr("conet.core.ratelimit.time.time", lambda: now[0])
    assert [within_limit("t:e", 1, 60) for _ in range(2)] == [True, False]
    now[0] += 60
    assert within_limit("t:e", 1, 60)
