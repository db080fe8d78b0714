"""The fault scripts' pure parts (scripts/faults/): argument parsing, the counting of sent /
stored / delivered / lost / duplicated, the verdict and its exit code, and the small judges
each scenario uses. The scenarios themselves start the whole stack for minutes (make faults)
and are not part of the suite."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FAULTS = Path(__file__).resolve().parent.parent.parent / "scripts" / "faults"
if str(FAULTS) not in sys.path:
    sys.path.insert(0, str(FAULTS))

import common  # noqa: E402
import disk_full  # noqa: E402
import postgres_outage  # noqa: E402
import redis_outage  # noqa: E402
import run_all  # noqa: E402
import smtp_failures  # noqa: E402
import worker_kill  # noqa: E402


def test_delivery_row_counts_lost_and_duplicated():
    """A key never stored, one stored but not delivered, one stored twice, one delivered
    twice: two lost, two duplicated."""
    row = common.delivery_row(
        "x",
        sent=["a", "b", "c", "d", "e"],
        stored=["a", "b", "b", "d", "e"],
        delivered=["a", "b", "e", "e"],
    )
    assert (row.sent, row.stored, row.delivered) == (5, 4, 3)
    assert row.lost == 2  # c never stored, d never delivered
    assert row.duplicated == 2  # b stored twice, e delivered twice


def test_verdict_and_exit_code():
    """Nothing lost, nothing duplicated, every check passed: 0; any of them wrong: 1."""
    clean = common.Outcome(rows=[common.Row("r", 3, 3, 3, 0, 0)])
    clean.check("fine", True)
    assert common.verdict(clean)
    assert common.finish("t", clean) == 0
    for bad in (
        common.Outcome(rows=[common.Row("r", 3, 2, 2, 1, 0)]),
        common.Outcome(rows=[common.Row("r", 3, 3, 4, 0, 1)]),
        common.Outcome(rows=[common.Row("r", 3, 3, 3, 0, 0)], checks=[common.Check("c", False)]),
    ):
        assert not common.verdict(bad)
        assert common.finish("t", bad) == 1


def test_table_has_the_columns_and_the_result():
    outcome = common.Outcome(rows=[common.Row("chat", 10, 10, 10, 0, 0, note="n")])
    text = common.format_table(outcome)
    assert text.splitlines()[0].split() == ["sent", "stored", "delivered", "lost", "duplicated"]
    assert "RESULT: OK" in text


def test_run_all_parses_and_summarises():
    """--only picks scenarios and refuses unknown ones; one failure makes the exit code 1."""
    assert run_all.parse_args([]).scenarios == list(run_all.SCENARIOS)
    assert run_all.parse_args(["--only", "disk_full, redis_outage"]).scenarios == [
        "disk_full",
        "redis_outage",
    ]
    with pytest.raises(SystemExit):
        run_all.parse_args(["--only", "nope"])
    assert run_all.summary({"a": 0, "b": 0})[1] == 0
    assert run_all.summary({"a": 0, "b": 1})[1] == 1


def test_scenario_arguments():
    """Each script's defaults: its own port and Redis database, the faults' database."""
    redis = redis_outage.parse_args(["--redis-port", "6399"])
    assert redis.redis_url == "redis://127.0.0.1:6399/0"
    ports = {
        module.parse_args([]).port
        for module in (redis_outage, postgres_outage, worker_kill, smtp_failures, disk_full)
    }
    assert len(ports) == 5
    assert worker_kill.parse_args([]).database_url.endswith("/cms_faults")
    assert postgres_outage.parse_args(["--cut", "5"]).cut == 5


def test_chat_markers_round_trip():
    """The client message id is found in the stored text, and only this run's."""
    cid = redis_outage.marker("t0k", "p0a", 7)
    assert redis_outage.parse_marker(f"Чат при отказе Redis {cid}", "t0k") == cid
    assert redis_outage.parse_marker(f"Чат {cid}", "other") is None


def test_postgres_judges():
    """The proxy's URL keeps the user and database; the designed error page is told from a
    traceback, a blank body and nginx's 502."""
    assert (
        postgres_outage.proxied_url("postgres://postgres@127.0.0.1:5432/cms_faults", 8710)
        == "postgres://postgres@127.0.0.1:8710/cms_faults"
    )
    page = '<body class="page-error page-error--500">'
    assert postgres_outage.designed_error(500, page)
    assert not postgres_outage.designed_error(500, page + "Traceback (most recent call last)")
    assert not postgres_outage.designed_error(500, "")
    assert not postgres_outage.designed_error(502, "<html>nginx</html>")


def test_backoff_and_disk_judges():
    assert smtp_failures.backoff_grows([0, 2, 6, 14])
    assert not smtp_failures.backoff_grows([0, 8, 10])
    assert disk_full.refused_clearly(200, "… there is no room for it on the server …")
    assert not disk_full.refused_clearly(500, "there is no room for it on the server")
    assert not disk_full.refused_clearly(200, "published")
