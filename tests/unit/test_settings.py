"""Operators get one clear Dutch line for a bad setting, never a traceback."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.settings import SettingsError, chosen_env_file, load_settings

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


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        (
            "OVERLEGBOT_NEWSLETTER_APPROVAL",
            "misschien",
            "‘misschien’ is geen ja of nee; geef ja of nee (ook goed: aan/uit, true/false, 1/0)",
        ),
        (
            "OVERLEGBOT_MESSAGES_PER_SECOND",
            "abc",
            "‘abc’ is geen getal; geef een getal, bijvoorbeeld 30 of 2.5",
        ),
        ("OVERLEGBOT_MESSAGES_PER_SECOND", "-3", "-3 is te klein; geef een getal groter dan 0"),
        ("OVERLEGBOT_OVERDUE_ESCALATION_DAYS", "-1", "-1 is te klein; geef minstens 1"),
        ("OVERLEGBOT_TIMEZONE", "Europe/Atlantis", "onbekende tijdzone ‘Europe/Atlantis’"),
        ("OVERLEGBOT_OVERDUE_ESCALATION_DAYS", "61", "61 is te groot; geef hoogstens 60"),
        (
            "OVERLEGBOT_INCIDENT_ESCALATE_MINUTES",
            "2.5",
            "‘2.5’ is geen geheel getal; geef een geheel getal, bijvoorbeeld 5",
        ),
        (
            "OVERLEGBOT_FEED_BASE_URL",
            "bot.example.nl",
            "moet met http:// of https:// beginnen, bijvoorbeeld https://overleg.example.nl",
        ),
    ],
)
def test_a_wrong_value_is_explained_in_dutch(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value) == f"overlegbot: instelling {name} is ongeldig: {problem}"


@pytest.mark.parametrize(
    ("value", "meant"), [("ja", True), ("Nee", False), ("aan", True), ("uit", False)]
)
def test_a_switch_takes_dutch_yes_and_no(
    monkeypatch: pytest.MonkeyPatch, value: str, meant: bool
) -> None:
    switches = ("NEWSLETTER_APPROVAL", "INCIDENT_APPROVAL", "ALLOW_PAID_BROADCAST")
    for switch in switches:
        monkeypatch.setenv(f"OVERLEGBOT_{switch}", value)
    settings = load_settings()
    assert [getattr(settings, switch.lower()) for switch in switches] == [meant] * 3


def test_the_feed_base_url_loses_a_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVERLEGBOT_FEED_BASE_URL", "https://bot.example.nl/")
    assert load_settings().feed_base_url == "https://bot.example.nl"


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


def test_the_env_file_comes_from_the_option_the_variable_or_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    (clean_environment / ".env").write_text("OVERLEGBOT_TIMEZONE=Europe/Brussels\n")
    (clean_environment / "service.env").write_text("OVERLEGBOT_TIMEZONE=Europe/London\n")
    (clean_environment / "other.env").write_text("OVERLEGBOT_TIMEZONE=Europe/Lisbon\n")
    assert load_settings().timezone == ZoneInfo("Europe/Brussels")
    monkeypatch.setenv("OVERLEGBOT_ENV_FILE", "service.env")
    assert load_settings().timezone == ZoneInfo("Europe/London")
    with chosen_env_file(Path("other.env")):  # --env-file wins over the variable
        assert load_settings().timezone == ZoneInfo("Europe/Lisbon")
    monkeypatch.setenv("OVERLEGBOT_TIMEZONE", "Europe/Paris")  # the environment wins over files
    assert load_settings().timezone == ZoneInfo("Europe/Paris")


def test_a_missing_default_env_file_is_fine_but_a_named_one_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_settings()
    with chosen_env_file(Path("/etc/overlegbot-nergens.env")), pytest.raises(SettingsError) as e:
        load_settings()
    assert (
        str(e.value) == "overlegbot: instellingenbestand /etc/overlegbot-nergens.env bestaat niet"
    )
    monkeypatch.setenv("OVERLEGBOT_ENV_FILE", "weg.env")
    with pytest.raises(SettingsError, match=r"instellingenbestand weg\.env bestaat niet"):
        load_settings()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "overlegbot: instellingenbestand {p} is een map, geen bestand"),
        (
            lambda p: p.write_bytes(b"OVERLEGBOT_ADMINS=1\nOVERLEGBOT_NAAM=Co\xf6rdinatie\n"),
            "overlegbot: instellingenbestand {p} is geen UTF-8-tekst (ongeldige byte op offset 38)",
        ),
    ],
)
def test_an_env_file_that_cannot_be_read_is_one_line(
    clean_environment: Path, make: object, message: str
) -> None:
    path = clean_environment / "overlegbot.env"
    make(path)  # type: ignore[operator]
    with chosen_env_file(path), pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value) == message.format(p=path)


def test_a_missing_token_names_the_env_file_in_use(clean_environment: Path) -> None:
    (clean_environment / "service.env").write_text("OVERLEGBOT_ADMINS=1\n")
    with chosen_env_file(Path("service.env")), pytest.raises(SettingsError) as error:
        load_settings(require_token=True)
    assert str(error.value) == (
        "overlegbot: instelling OVERLEGBOT_TOKEN ontbreekt; zet die als omgevingsvariabele of in "
        "het bestand service.env"
    )
