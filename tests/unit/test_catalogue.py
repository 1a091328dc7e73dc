"""Every text a person can be shown exists in Dutch, and no entry is dead weight."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import get_args

from berichten.newsletters.kopij import DECISIONS
from berichten.newsletters.progress import REASONS
from bot.commands import COORDINATOR_COMMANDS, GROUP_COMMANDS, MEMBER_COMMANDS
from planning import catalogue
from planning.agenda_items.documents import DocumentRefusal
from planning.agenda_items.tables import AgendaItemKind
from planning.audit.tables import AuditAction, SubjectKind
from planning.calendar.reconcile import PlanChangeKind
from planning.calendar.reminders import ReminderKind
from planning.incidents.services import Answer, IncidentProblem
from planning.incidents.templates import PLACEHOLDERS
from planning.membership.services import MembershipRefusal, Verdict
from planning.membership.tables import MemberStatus, Role
from planning.newsletters.after_sending import IssueOperation
from planning.newsletters.issues import IssueProblem
from planning.newsletters.rules import KopijProblem
from planning.newsletters.tables import KopijKind, KopijStatus

ROOT = Path(__file__).resolve().parents[2]
KEY_LITERAL = re.compile(r"""["']([a-z_]+(?:\.[a-z_]+)*)["']""")
STATIC_KEY = re.compile(r"""catalogue\.(?:plain|html)\(\s*"([a-z_.]+)"|text\("([a-z_.]+)"\)""")
# Keys built at run time, from these enums and lists.
DYNAMIC_KEYS = (
    {f"role.{role}" for role in Role}
    | {f"status.{status}" for status in MemberStatus}
    | {f"command.{c.name}" for c in MEMBER_COMMANDS + COORDINATOR_COMMANDS + GROUP_COMMANDS}
    | {"command.start"}
    | {f"alert.{verdict.value}" for verdict in (Verdict.LEFT, Verdict.STRANGER)}
    | {f"plan.change.{kind.value}" for kind in PlanChangeKind}
    | {f"schedule.{kind}" for kind in get_args(ReminderKind)}
    | {f"kopij.status.{status}" for status in KopijStatus}
    | {f"agenda_item.kind.{kind}" for kind in AgendaItemKind}
    | {f"agenda_item.kind.button.{kind}" for kind in AgendaItemKind}
    | {f"kopij.{what}.{status}" for what in ("decided", "done") for status in DECISIONS.values()}
    | {f"kopij.problem.{problem}" for problem in KopijProblem}
    | {f"newsletter.problem.{problem}" for problem in IssueProblem}
    | {f"newsletter.export.kind.{kind}" for kind in (KopijKind.PHOTO, KopijKind.DOCUMENT)}
    | {
        f"newsletter.progress.{operation}.{state}"
        for operation in IssueOperation
        for state in ("running", "ended")
    }
    | {f"newsletter.progress.figures.{operation}" for operation in IssueOperation}
    | {f"newsletter.progress.untouched.{operation}" for operation in ("correct", "withdraw")}
    | {f"newsletter.progress.reason.{reason}" for reason, _signs in REASONS}
    | {"newsletter.progress.reason.refused"}
    | {f"refused.{verdict.value}" for verdict in (Verdict.LEFT, Verdict.STRANGER)}
    | {f"audit.action.{action.value}" for action in AuditAction}
    | {f"incident.problem.{problem}" for problem in IncidentProblem}
    | {f"agenda_item.document.refused.{reason}" for reason in DocumentRefusal}
    | {f"incident.ask.{placeholder}" for placeholder in PLACEHOLDERS}
    | {f"incident.ack.{answer}" for answer in Answer}
    | {f"incident.overview.{state}" for state in ("open", "closed")}
    | {f"audit.subject.{kind.value}{draft}" for kind in SubjectKind for draft in ("", ".draft")}
    | {
        f"refused.{reason}"
        for reason in (
            MembershipRefusal.UNKNOWN_CODE,
            MembershipRefusal.USED_CODE,
            MembershipRefusal.EXPIRED_CODE,
            MembershipRefusal.ALREADY_MEMBER,
        )
    }
)


def _sources() -> list[str]:
    packages = ("bot", "planning", "berichten")
    return [p.read_text(encoding="utf-8") for d in packages for p in (ROOT / d).rglob("*.py")]


def _static_keys() -> set[str]:
    """Keys passed straight to the catalogue functions."""
    return {m.group(1) or m.group(2) for s in _sources() for m in STATIC_KEY.finditer(s)}


def _key_literals() -> set[str]:
    """Every key-like string literal in the code, e.g. a key chosen by a condition."""
    return {match.group(1) for source in _sources() for match in KEY_LITERAL.finditer(source)}


def test_every_key_the_code_uses_has_a_dutch_text() -> None:
    missing = (_static_keys() | DYNAMIC_KEYS) - set(catalogue.entries())
    assert not missing


def test_every_entry_is_used() -> None:
    unused = set(catalogue.entries()) - _key_literals() - DYNAMIC_KEYS
    assert not unused


def test_every_text_is_filled_in_with_plain_placeholders() -> None:
    empty, odd = [], []
    for key, forms in catalogue.entries().items():
        for form in forms:
            names = [name for _, name, _, _ in string.Formatter().parse(form) if name]
            if not form.strip():
                empty.append(key)
            if not all(name.isidentifier() for name in names):
                odd.append(key)
    assert (empty, odd) == ([], [])


def test_plural_texts_have_a_form_for_one_and_for_more_and_say_how_many() -> None:
    plurals = {key: forms for key, forms in catalogue.entries().items() if len(forms) > 1}
    assert plurals, "the catalogue has plural forms"
    assert all(len(forms) == 2 and all("{n}" in f for f in forms) for forms in plurals.values())
    assert [catalogue.plain("days", n=n) for n in (0, 1, 2)] == ["0 dagen", "1 dag", "2 dagen"]
    assert catalogue.plain("deadline.working_days", n=1) == "1 werkdag"


def test_values_are_escaped_for_telegram_html() -> None:
    text = catalogue.html("start.hello_again", name="<script>&")
    assert "&lt;script&gt;&amp;" in text and "<script>" not in text


def test_alerts_fit_telegrams_200_characters() -> None:
    alerts = [key for key in catalogue.entries() if key.startswith("alert.")]
    assert alerts
    assert all(len(catalogue.plain(key)) <= 200 for key in alerts)
