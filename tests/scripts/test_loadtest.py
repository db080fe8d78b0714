"""The load-test harness's pure parts (scripts/loadtest/): the topology's ports and
environment, the generated nginx configuration, and reading and judging results. The harness
itself starts processes for minutes and is not part of the suite (make bench)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOADTEST = Path(__file__).resolve().parent.parent.parent / "scripts" / "loadtest"


def _load(name: str):
    if str(LOADTEST) not in sys.path:
        sys.path.insert(0, str(LOADTEST))
    spec = importlib.util.spec_from_file_location(f"loadtest_{name}", LOADTEST / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


topology = _load("topology")
report = _load("report")


def _two_stacks(tmp_path, **kwargs):
    return topology.make_topology(port=9480, stacks=2, work_dir=tmp_path, **kwargs)


def test_stacks_get_their_own_ports(tmp_path):
    """Each stack has its own gunicorn, uvicorn and direct nginx port, none shared."""
    topo = _two_stacks(tmp_path)
    ports = [topo.port]
    for stack in topo.stacks:
        ports += [stack.http_port, stack.ws_port, stack.direct_port]
    assert len(set(ports)) == len(ports)
    assert [s.name for s in topo.stacks] == ["A", "B"]


def test_app_env_is_production_over_plain_http(tmp_path):
    """The processes run cms.settings.production on the given database and Redis, without the
    HTTPS redirect, with the shared media folders and X-Accel, and no inherited AWS or media
    variable overrides the harness's storage."""
    topo = _two_stacks(tmp_path)
    env = topology.app_env(
        {"PATH": "/bin", "AWS_STORAGE_BUCKET_NAME": "x", "MEDIA_STORAGE": "s3"},
        topo,
        database_url="postgres://db/x",
        redis_url="redis://r/13",
        page_cache=False,
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert env["SECURE_SSL_REDIRECT"] == "0"
    assert env["DATABASE_URL"] == "postgres://db/x"
    assert env["REDIS_URL"] == "redis://r/13"
    assert env["PAGE_CACHE_ENABLED"] == "0"
    assert env["PRIVATE_MEDIA_ROOT"] == str(tmp_path / "media" / "private")
    assert env["PRIVATE_MEDIA_X_ACCEL_PREFIX"] == "/_private/"
    assert "AWS_STORAGE_BUCKET_NAME" not in env
    assert "MEDIA_STORAGE" not in env
    assert len(env["SECRET_KEY"]) >= 50


def test_nginx_config_balances_both_stacks_without_stickiness(tmp_path):
    """One upstream per protocol lists every stack (round-robin, no ip_hash or cookie), each
    stack also has an upstream and a server of its own, and private files are internal."""
    config = topology.nginx_config(_two_stacks(tmp_path))
    for stack in _two_stacks(tmp_path).stacks:
        assert f"server 127.0.0.1:{stack.http_port};" in config
        assert f"server 127.0.0.1:{stack.ws_port};" in config
        assert f"listen 127.0.0.1:{stack.direct_port};" in config
    assert "ip_hash" not in config and "sticky" not in config and "hash " not in config
    assert "upstream app_http" in config and "upstream app_ws" in config
    assert "internal;" in config
    assert f"alias {tmp_path}/media/private/;" in config
    assert f"pid {tmp_path}/nginx/nginx.pid;" in config


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_generated_config(tmp_path):
    """``nginx -t`` accepts the configuration as generated (own pid, logs, temp folders)."""
    topo = _two_stacks(tmp_path)
    (tmp_path / "nginx").mkdir()
    path = tmp_path / "nginx" / "nginx.conf"
    path.write_text(topology.nginx_config(topo))
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path / "nginx"), "-c", str(path), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_wrk_output_is_parsed():
    """The JSON line of wrk_report.lua becomes a row with req/s from requests and seconds."""
    output = (
        "Running 10s test\n"
        'WRK_JSON {"requests": 20000, "seconds": 10.0, "errors": 0, "non2xx": 0, '
        '"p50_ms": 7.5, "p95_ms": 12.0, "p99_ms": 20.0, "max_ms": 40.0}\n'
    )
    row = report.wrk_row("/ping", 16, report.parse_wrk(output))
    assert row.rps == 2000.0
    assert (row.p50_ms, row.p95_ms, row.p99_ms) == (7.5, 12.0, 20.0)
    with pytest.raises(ValueError, match="WRK_JSON"):
        report.parse_wrk("no summary")


LOCUST_CSV = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,member: feed,300,0,80,90,20,400,30000,5.0,0.0,80,90,100,110,120,140,200,260,400,400,400\n"
    "GET,guest: home,100,0,5,6,2,30,20000,1.7,0.0,5,5,6,6,8,10,20,25,30,30,30\n"
    "POST,member: post,30,2,100,120,50,900,0,0.5,0.03,100,110,120,130,200,300,800,900,900,900,900\n"
    "WS,ws connect,0,0,0,0,0,0,0,0.0,0.0,0,0,0,0,0,0,0,0,0,0,0\n"
    ",Aggregated,430,2,60,70,2,900,0,7.2,0.03,60,80,90,100,120,150,250,300,900,900,900\n"
)


def test_locust_stats_and_targets(tmp_path):
    """locust's stats CSV becomes rows with the guests' cache hits; member pages are judged
    against p95 < 150 ms without errors, guest pages in wrk against 0.5× /ping and p99 < 50 ms."""
    path = tmp_path / "step_stats.csv"
    path.write_text(LOCUST_CSV)
    rows = report.parse_locust_stats(path, 200, {"guest: home": [99, 100]})
    by_name = {row.name: row for row in rows}
    assert by_name["member: feed"].p95_ms == 140.0
    assert by_name["guest: home"].cache_hits == 99
    assert by_name["all requests"].requests == 430
    assert "ws connect" not in by_name  # no request in the measured window
    rows += [
        report.wrk_row(
            "/ping",
            16,
            {"requests": 2000, "seconds": 1.0, "errors": 0, "p50_ms": 5, "p95_ms": 8, "p99_ms": 10},
        ),
        report.wrk_row(
            "guest: home",
            16,
            {
                "requests": 1200,
                "seconds": 1.0,
                "errors": 0,
                "p50_ms": 9,
                "p95_ms": 20,
                "p99_ms": 40,
            },
        ),
        report.wrk_row(
            "guest: events",
            16,
            {"requests": 900, "seconds": 1.0, "errors": 0, "p50_ms": 9, "p95_ms": 20, "p99_ms": 40},
        ),
    ]
    report.judge(rows)
    verdicts = {(row.phase, row.name): row.verdict for row in rows}
    assert verdicts[("mixed", "member: feed")] == "ok"
    assert verdicts[("mixed", "member: post")] == "MISS"  # errors and p95 300 ms
    assert verdicts[("wrk", "guest: home")] == "ok"  # 0.6× /ping, p99 40 ms
    assert verdicts[("wrk", "guest: events")] == "MISS"  # 0.45× /ping
    home = next(r for r in rows if r.phase == "wrk" and r.name == "guest: home")
    assert home.ratio_to_ping == pytest.approx(0.6)


def test_table_and_files(tmp_path):
    """The table has a header, a separator and a line per row with the hits as a fraction;
    results.json and results.csv hold the same rows."""
    path = tmp_path / "s.csv"
    path.write_text(LOCUST_CSV)
    rows = report.judge(report.parse_locust_stats(path, 16, {"guest: home": [99, 100]}))
    table = report.format_table(rows).splitlines()
    assert table[0].startswith("| phase") and "p95" in table[0]
    assert set(table[1]) <= {"|", "-", ":"}
    assert len(table) == 2 + len(rows)
    assert any("99/100" in line for line in table)
    json_path, csv_path = report.write_results(rows, tmp_path / "out", {"stacks": 1})
    assert '"stacks": 1' in json_path.read_text()
    assert len(csv_path.read_text().splitlines()) == 1 + len(rows)


def test_app_env_keeps_the_harness_apart(tmp_path):
    """The harness's processes collect static files into its work dir (STATIC_ROOT), not the
    checkout's, and use a channel-layer prefix of their own, not the site's default "cms"."""
    topo = _two_stacks(tmp_path)
    env = topology.app_env(
        {}, topo, database_url="postgres://db/x", redis_url="redis://r/13", page_cache=True
    )
    assert env["STATIC_ROOT"] == str(tmp_path / "static")
    assert env["CHANNEL_LAYER_PREFIX"] not in {"", "cms"}
    assert f"alias {tmp_path}/static/;" in topology.nginx_config(topo)


def test_member_actions_against_the_pacing(tmp_path):
    """A step's member actions are its ``member: ...`` requests, expected members × duration /
    pacing; the step's line says how many members were connected when measuring began."""
    path = tmp_path / "step_stats.csv"
    path.write_text(LOCUST_CSV)
    rows = report.parse_locust_stats(path, 200, {})
    actions = report.member_actions(rows, members=200, duration=30, pacing=10)
    assert actions == {"member_actions": 330, "expected_actions": 600, "actions_ratio": 0.55}
    start = {
        "members_connected": 198,
        "members_without_socket": 2,
        "sign_in_failures": 0,
        "admins": 2,
        "waited_s": 12.5,
        "everyone_arrived": True,
    }
    line = report.step_summary(200, {**start, **actions})
    assert "198/200 members connected" in line and "expected ≈ 600" in line
    assert "no start record" in report.step_summary(16, actions)


def test_locustfile_opens_the_window_after_everyone_and_paces_from_the_first_action(tmp_path):
    """In the locustfile (imported in a child process: locust patches the interpreter with
    gevent), the start event is set only when every member and admin has arrived, failures
    included, and a signed-in person's waits keep one action per pacing interval counted from
    their first action, with no catching up beyond "at once" after a slow action."""
    plan = tmp_path / "plan.json"
    plan.write_text('{"members": [], "admins": [], "public": [], "password": "x"}')
    code = """
import time
import locustfile as lf
a = lf.Arrivals(3)
a.arrive("members_connected"); a.arrive(None)
assert not a.everyone.is_set()
a.arrive("admins")
assert a.everyone.is_set() and a.failed == 1 and a.counts["admins"] == 1
assert lf.Arrivals(0).everyone.is_set()

class Person:
    wait_time = lf.SignedIn.wait_time
p = Person()
p.next_action = time.perf_counter()          # the first action starts now
first = p.wait_time()                        # it took no time: wait the whole interval
assert 9.9 < first <= 10.0, first
p.next_action -= 25                          # an action that ran far past its slot
assert p.wait_time() == 0                    # the next follows at once, no burst after it
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=LOADTEST,
        env={"LOADTEST_PLAN": str(plan), "LOADTEST_MEMBER_PACING": "10", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr
