"""The call for items (*oproep*) as outbox messages: one per meeting and participant, queued by
the reminder run (:func:`berichten.reminders.queue.queue_reminders`), so it shares the run's
window, its catching up after downtime, moving and withdrawing (a pending call follows its
meeting; a withdrawn one comes back when a pause is lifted or an overleg unmuted).

- When: :func:`planning.agenda_items.call.calls`, then each member's wishes
  (:func:`planning.preferences.rules.call_moment`).
- Who: the meeting's participants among the active members (as a reminder to ``deelnemers``).
- Key: ``agenda_call:<meeting key>|<member>``, without the day: a meeting moved after its call
  went out is not called again (the participants heard of the move, and its reminders say until
  when items are welcome); a call still pending moves with its meeting, with the new closing
  moment in its text.
- It expires when the agenda closes, and carries one button, "Agendapunt aanleveren"
  (:data:`CALL_PREFIX` and the meeting's reference), that starts /agendapunt for that meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from berichten.outbox.store import NewMessage
from berichten.outbox.tables import Priority
from berichten.texts.agenda_items import call_text
from planning import catalogue
from planning.agenda_items.call import calls
from planning.calendar.model import Plan
from planning.membership.recipients import Recipient, in_groups
from planning.preferences.rules import DEFAULTS, Preferences, call_moment

CALL_KIND = "agenda_call"
CALL_PREFIX = "ai:c:"  # + the meeting's reference; handled in bot.handlers.agenda_items


def call_messages(
    plan: Plan,
    everyone: Sequence[Recipient],
    wishes: Mapping[int, Preferences],
    first: datetime,
    last: datetime,
) -> list[NewMessage]:
    """The calls due in ``[first, last)`` for every participant who wants them."""
    messages = []
    for call in calls(plan, first, last):
        text = call_text(call.meeting, call.closes_at, plan.zone)
        label = catalogue.plain("agenda_item.call.button")
        buttons = [[(label, f"{CALL_PREFIX}{call.reference}")]]
        for member in in_groups(everyone, call.meeting.participants):
            mine = wishes.get(member.telegram_user_id, DEFAULTS)
            at = call_moment(mine, call.meeting.overleg, call.at, call.closes_at, plan.zone)
            if at is None:
                continue
            messages.append(
                NewMessage(
                    key=f"{call.key}|{member.telegram_user_id}",
                    kind=CALL_KIND,
                    recipient=member.telegram_user_id,
                    text=text,
                    due_at=at,
                    priority=Priority.REMINDER,
                    expires_at=call.closes_at,
                    buttons=buttons,
                )
            )
    return messages
