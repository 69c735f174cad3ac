"""docker-compose.yml and the nginx config against what the workers need (images cannot be pulled here, so the
files are checked, and tests/scale runs the same processes on loopback)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.config import load_settings
from bot.telegram.webhook import webhook_path

ROOT = Path(__file__).resolve().parents[2]
WORKERS = ("worker1", "worker2", "worker3")
SAMPLE = {
    "TELEGRAM_BOT_TOKEN": "123456:ABC",
    "POSTGRES_PASSWORD": "pw",
    "RUNBACK_WEBHOOK_URL": "https://bot.example.org/telegram",
    "RUNBACK_WEBHOOK_SECRET": "s3cret_-",
}


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _substitute(value: str) -> str:
    """${VAR:?message} and ${VAR} as docker compose would, from SAMPLE."""
    return re.sub(r"\$\{(\w+)(?::\?[^}]*)?\}", lambda m: SAMPLE[m.group(1)], value)


def _env(service: dict[str, Any]) -> dict[str, str]:
    return {k: _substitute(str(v)) for k, v in service["environment"].items()}


def test_three_workers_in_webhook_mode_with_what_they_need() -> None:
    services = _compose()["services"]
    assert {"postgres", "migrate", "proxy", *WORKERS} <= set(services)
    for name in WORKERS:
        worker = services[name]
        assert worker["command"] == ["runback", "run", "--webhook"]
        env = _env(worker)
        settings = load_settings(env)  # the workers' settings are valid
        assert settings.database_url.startswith("postgresql+asyncpg://runback:pw@postgres:5432/")
        assert settings.webhook_url and settings.webhook_secret and settings.listen == "0.0.0.0"
        assert settings.messages_per_s <= 30  # Telegram's limit, for all workers together
        assert worker["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "set-webhook" not in " ".join(worker["command"])  # only the one-shot service registers it


def test_migrations_run_once_and_register_the_webhook() -> None:
    services = _compose()["services"]
    migrate = services["migrate"]
    command = " ".join(migrate["command"])
    assert "runback migrate" in command and "runback set-webhook" in command
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert load_settings(_env(migrate)).database_url == load_settings(_env(services["worker1"])).database_url
    assert "postgresql" not in str(services["postgres"].get("ports", ""))  # the database is not published


def test_the_proxy_sends_the_webhook_path_to_every_worker() -> None:
    services = _compose()["services"]
    proxy = services["proxy"]
    assert set(proxy["depends_on"]) == set(WORKERS)
    mounted = [v.split(":")[0] for v in proxy["volumes"]]
    assert "./deploy/nginx.conf" in mounted
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"upstream runback_workers \{(.*?)\}", conf, re.S)
    assert upstream is not None
    servers = set(re.findall(r"server (\S+?)(?:\s|;)", upstream.group(1)))
    ports = {_env(services[name])["RUNBACK_PORT"] for name in WORKERS}
    assert servers == {f"{name}:{port}" for name in WORKERS for port in ports}
    path = webhook_path(_env(services["worker1"])["RUNBACK_WEBHOOK_URL"])
    assert f"location = {path} " in conf and "proxy_pass http://runback_workers;" in conf
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if line and line[0] != "#"
    )
    assert webhook_path(example["RUNBACK_WEBHOOK_URL"]) == path == urlsplit(SAMPLE["RUNBACK_WEBHOOK_URL"]).path
