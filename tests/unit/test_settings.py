"""Operators get one clear Dutch line for a bad setting, never a traceback."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.settings import SettingsError, load_settings

pytestmark = pytest.mark.usefixtures("clean_environment")


def test_defaults_need_nothing_but_a_token_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.bot_api_url == "https://api.telegram.org/bot"
    assert settings.file_url == "https://api.telegram.org/file/bot"
    assert settings.timezone == ZoneInfo("Europe/Amsterdam") and settings.admins == frozenset()
    with pytest.raises(SettingsError, match="OVERLEGBOT_TOKEN ontbreekt"):
        load_settings(require_token=True)


def test_admins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVERLEGBOT_ADMINS", "1234, 5678")
    assert load_settings().admins == {1234, 5678}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OVERLEGBOT_ADMINS", "1234,piet"),
        ("OVERLEGBOT_TIMEZONE", "Europe/Atlantis"),
        ("OVERLEGBOT_TOKEN", "not-a-token"),
        ("OVERLEGBOT_BOT_API_URL", "api.telegram.org"),
    ],
)
def test_a_malformed_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"overlegbot: instelling {name} is ongeldig: ")
    assert "\n" not in message


def test_a_self_hosted_bot_api_gets_its_file_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVERLEGBOT_BOT_API_URL", "http://127.0.0.1:8081/bot")
    assert load_settings().file_url == "http://127.0.0.1:8081/file/bot"


def test_the_token_never_shows_when_settings_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVERLEGBOT_TOKEN", "123456789:AAHsecret-token")
    settings = load_settings(require_token=True)
    assert settings.bot_token == "123456789:AAHsecret-token"
    shown = f"{settings!r} {settings} {settings.model_dump()} {settings.model_dump_json()}"
    assert "AAHsecret" not in shown


def test_the_zone_is_read_as_a_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVERLEGBOT_TIMEZONE", "Europe/Brussels")
    assert load_settings().timezone == ZoneInfo("Europe/Brussels")
