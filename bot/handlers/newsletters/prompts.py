"""What /nieuwsbrief shows while composing: the kopij to include, the audience, the question
before sending. The issue's own messages come from :mod:`berichten.newsletters.issues`."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardMarkup

from berichten.texts import newsletters as texts
from bot.context import OverlegContext
from bot.drafts import NewsletterDraft
from bot.handlers.audience import AudienceButtons, marked
from bot.handlers.audience import audience_keyboard as shared_keyboard
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.newsletters.issues import IssueError, IssueProblem
from planning.plan.store import plan_zone

KOPIJ_PREFIX, KOPIJ_DONE = "nb:k:", "nb:kd"
AUDIENCE = AudienceButtons("nb:all", "nb:g:", "nb:o:", "nb:ad")
SEND, TEST_ME, TEST_ALL, ABORT = "nb:send", "nb:tme", "nb:tall", "nb:no"
SCHEDULE = "nb:plan"
# What makes the moment step ask again, rather than end.
MOMENT_PROBLEMS = {
    IssueProblem.BAD_MOMENT,
    IssueProblem.NO_SUCH_MOMENT,
    IssueProblem.PAST,
    IssueProblem.TOO_FAR,
}
# What makes a new text's step ask again, rather than end.
TEXT_PROBLEMS = {IssueProblem.EMPTY, IssueProblem.TOO_LONG}


def kopij_text(draft: NewsletterDraft) -> str:
    """The kopij set aside, each with its sender, and what to do with the buttons."""
    lines = [catalogue.html("newsletter.kopij.heading")]
    lines += [
        catalogue.html("newsletter.kopij.line", title=item.title, sender=texts.sender(item))
        for item in draft.offered
    ]
    return "\n".join(lines)


def kopij_keyboard(draft: NewsletterDraft) -> InlineKeyboardMarkup:
    choices = [
        (marked(item.title, item.id in draft.included), f"{KOPIJ_PREFIX}{index}")
        for index, item in enumerate(draft.offered)
    ]
    choices.append((catalogue.plain("newsletter.button.next"), KOPIJ_DONE))
    return inline_keyboard(choices, per_row=1)


def audience_text(members: int) -> str:
    return "\n\n".join(
        [
            catalogue.html("newsletter.audience.heading"),
            catalogue.html("newsletter.audience.count", n=members),
        ]
    )


def audience_keyboard(draft: NewsletterDraft) -> InlineKeyboardMarkup:
    return shared_keyboard(draft, AUDIENCE)


def confirm_text(members: int, kopij_gone: bool) -> str:
    lines = [catalogue.html("newsletter.confirm", n=members)]
    if kopij_gone:
        lines.append(catalogue.html("newsletter.kopij_gone"))
    return "\n\n".join(lines)


def confirm_keyboard() -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            (catalogue.plain("newsletter.button.send"), SEND),
            (catalogue.plain("newsletter.button.schedule"), SCHEDULE),
            (catalogue.plain("newsletter.button.test_me"), TEST_ME),
            (catalogue.plain("newsletter.button.test_all"), TEST_ALL),
            (catalogue.plain("meeting_change.abort_button"), ABORT),
        ],
        per_row=1,
    )


def problem(refused: IssueError) -> str:
    return catalogue.html(f"newsletter.problem.{refused.problem}")


async def example_moment(context: OverlegContext) -> str:
    """Tomorrow at 09:00 in the plan's zone, as the coordinator would type it."""
    services = context.bot_data
    zone = await services.db.run(plan_zone)
    tomorrow = (services.clock.now().astimezone(zone) + timedelta(days=1)).date()
    return f"{tomorrow:%d-%m-%Y} 09:00"
