"""docker-compose.yml shows the topology README describes: a proxy in front of several web
replicas, workers, exactly one beat, migrations run once; every role is one deploy/run.sh knows."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
RUN_SH = (ROOT / "deploy" / "run.sh").read_text()


def replicas(name: str) -> int:
    return SERVICES[name].get("deploy", {}).get("replicas", 1)


def test_several_web_replicas_behind_one_proxy_and_only_the_proxy_is_published():
    assert replicas("web") > 1
    assert "ports" not in SERVICES["web"]
    assert SERVICES["proxy"]["ports"] == ["7860:80"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_pass $web;" in nginx and "set $web http://web:7860;" in nginx
    assert "proxy_set_header X-Request-ID $request_id;" in nginx
    assert SERVICES["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_workers_scale_and_there_is_exactly_one_beat():
    assert replicas("worker") > 1
    assert replicas("beat") == 1
    assert [name for name, service in SERVICES.items() if "beat" in str(service.get("command", ""))] == [
        "beat"
    ]


def test_migrations_run_once_before_web_and_workers():
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "migrate" not in str(SERVICES["web"]["command"])


def test_every_role_compose_runs_is_one_deploy_run_sh_has():
    roles = set(re.findall(r"^    ([a-z]+)\)$", RUN_SH, flags=re.MULTILINE))
    commands = {
        service["command"].split()[1]
        for service in SERVICES.values()
        if "deploy/run.sh" in str(service.get("command", ""))
    }
    assert commands == {"migrate", "web", "worker", "beat"}
    assert commands <= roles


def test_web_and_workers_share_the_metrics_volume():
    for name in ("web", "worker"):
        assert SERVICES[name]["environment"]["METRICS_MULTIPROC_ROOT"] == "/metrics"
        assert "metrics:/metrics" in SERVICES[name]["volumes"]
