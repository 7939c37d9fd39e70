"""The documented production queue: huey in Redis, with task priorities.

Plain `RedisHuey` refuses priorities when a task is queued, which happens after the write has
committed: every write that queued a prioritised task answered 500 and `conet demo` stopped half
way. These run `conet` as a child process with the queue in a real Redis (not the suite's
in-process queue), so they fail if the production configuration cannot take our tasks.
"""

import os

import pytest
import redis

from tests.processes import run_conet

# A database of its own, emptied before and after, so a queue left behind changes nothing.
QUEUE_URL = os.environ.get("CONET_TEST_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_queue():
    client = redis.Redis.from_url(QUEUE_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"Redis is not answering at {QUEUE_URL} (CI must test the Redis queue)")
        pytest.skip(f"Redis is not answering at {QUEUE_URL}")
    client.flushdb()
    yield client
    client.flushdb()


def _env(tmp_path) -> dict:
    return {
        "CONET_DATA_DIR": str(tmp_path),
        "REDIS_URL": QUEUE_URL,
        "CONET_TASKS_IMMEDIATE": "0",
        "CONET_EMBEDDINGS": "none",
    }


QUEUE_THREE_PRIORITIES = """
import django
django.setup()
from huey.contrib.djhuey import HUEY
from conet.search import tasks
print(type(HUEY).__name__)
tasks.embed_body_task(3)
tasks.index_object_task("practice", 1)
tasks.embed_short_task(2)
print(HUEY.pending_count())
print(*(HUEY.dequeue().name for _ in range(3)))
"""


def test_the_redis_queue_takes_tasks_with_priorities_and_serves_the_highest_first(
    tmp_path, redis_queue
):
    result = run_conet("shell", "-c", QUEUE_THREE_PRIORITIES, env=_env(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    kind, pending, order = result.stdout.strip().splitlines()[-3:]
    assert kind == "PriorityRedisHuey"
    assert pending == "3"
    assert order.split() == ["index_object_task", "embed_short_task", "embed_body_task"]


def test_the_demo_loads_completely_with_the_queue_in_redis(tmp_path, redis_queue):
    env = _env(tmp_path)
    assert run_conet("migrate", "--no-input", "-v", "0", env=env, timeout=240).returncode == 0
    result = run_conet("demo", env=env, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "Loaded the CoNet network with its 11 partner cities" in result.stdout
    # The demo's writes queued their follow-up work (indexing, embeddings) in Redis.
    assert any(key.startswith(b"huey") for key in redis_queue.keys("*"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.after_commit_may_fail
def test_a_write_whose_follow_up_cannot_be_queued_still_answers_success(
    people, network, city, client_as, monkeypatch
):
    """The meeting is stored: the page must say so, even if queueing its indexing fails."""
    from conet.meetings.models import Meeting
    from conet.search import tasks
    from tests.meetings.test_view_permissions import meeting_form

    def queue_refuses(*args, **kwargs):
        raise ConnectionError("the task queue is not answering")

    monkeypatch.setattr(tasks, "index_object_task", queue_refuses)
    client = client_as(people["network_coordinator"])
    response = client.post(
        f"/en/networks/{network.slug}/meetings/new/", meeting_form(host_city=city.pk)
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(title="New meeting").count() == 1
