"""What a person's open conversations hold between their steps: one draft per conversation.

A draft is plain data (dataclasses of values from ``planning``), stored as JSON by
:class:`bot.persistence.DatabasePersistence`, so a half-finished conversation comes back after
a restart (docs/decisions/persistence.md). A draft carries what the person chose and typed and
the choices they were offered, so a button press finds the same list it was drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import TypeAdapter

from planning.agenda_items.documents import NewDocument
from planning.agenda_items.publication import AgendaDraft
from planning.agenda_items.rules import OpenMeeting
from planning.agenda_items.tables import AgendaItemKind
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import Overleg, When
from planning.incidents.services import Incident
from planning.incidents.templates import IncidentTemplate
from planning.meeting_changes.rules import Request
from planning.membership.tables import Role
from planning.milestones.services import MilestoneView
from planning.newsletters.issues import Audience, Choice, Issue
from planning.newsletters.services import KopijView


@dataclass
class InviteDraft:
    """A coordinator's half-made invite, kept between the button presses of /uitnodigen."""

    role: Role | None = None
    organisation_code: str = ""
    group_codes: list[str] = field(default_factory=list)


@dataclass
class MeetingChangeDraft:
    """A coordinator's change in the making, kept between the steps of /wijzig."""

    meetings: list[CalendarEntry]
    offset: int = 0
    entry: CalendarEntry | None = None
    action: str = ""  # move | fix | cancel | add
    overleggen: list[Overleg] = field(default_factory=list)
    overleg: Overleg | None = None
    request: Request | None = None


@dataclass
class MilestoneDraft:
    """A milestone change in the making, kept between the steps of /mijlpaal."""

    milestones: list[MilestoneView]
    chosen: MilestoneView | None = None
    new_when: When | None = None  # None: marking done
    reason: str = ""


@dataclass
class AgendaItemDraft:
    """An item in the making, kept between the steps of /agendapunt."""

    meetings: list[OpenMeeting]
    meeting: OpenMeeting | None = None
    title: str = ""
    explanation: str | None = None
    # Asked after the title; None before that, and in a draft stored before kinds were asked
    # ("Indienen" then asks it first).
    kind: AgendaItemKind | None = None
    # The chosen agenda closed before "Indienen": the next meeting chosen goes to the summary.
    rechoosing: bool = False
    # Another conversation began halfway: the step /agendapunt goes on with (KIND, EXPLANATION
    # or CONFIRM); None while this conversation is open.
    resume_at: int | None = None
    # The step that waits for the member with a title typed (KIND, EXPLANATION or CONFIRM), so
    # that /agendapunt typed there goes on with the draft; None before the title and after
    # "Wijzigen".
    step: int | None = None
    # Documents sent at the explanation or the summary, stored with the item at "Indienen".
    documents: list[NewDocument] = field(default_factory=list)


@dataclass
class AttachDraft:
    """The own item a member pressed "Stuk toevoegen" under, while the bot waits for the file."""

    item_id: int
    title: str


@dataclass
class PublishDraft:
    """The agendas a coordinator may publish, and the one chosen, between /publiceer's steps."""

    drafts: list[AgendaDraft]
    chosen: AgendaDraft | None = None
    moved: bool = False  # an item was moved up or down: stored at once, kept on "Afbreken"


@dataclass
class AgendaDeclineDraft:
    """The item a reviewer is declining ("Niet opnemen"), while they type a reason: the meeting
    tag the button was shown for, and the message with the buttons, to redraw once decided."""

    item_id: int
    title: str
    shown_for: str | None
    chat_id: int
    message_id: int


@dataclass
class KopijDraft:
    """News in the making, between the title and the item itself (/nieuws)."""

    title: str = ""


@dataclass
class KopijDeclineDraft:
    """The item a coordinator is leaving out, while they type the reason."""

    kopij_id: int
    title: str


@dataclass
class NewsletterDraft:
    """A newsletter in the making, between the steps of /nieuwsbrief; one per coordinator.

    ``key`` names the draft for good: the issue is recorded under it once, however often
    "Versturen" is pressed.
    """

    key: str
    title: str = ""
    text: str = ""  # Telegram HTML
    media_kind: str | None = None
    media_file_id: str | None = None
    offered: list[KopijView] = field(default_factory=list)  # kopij set aside, as offered
    included: list[int] = field(default_factory=list)  # ids, in the order offered
    groups: list[Choice] = field(default_factory=list)  # as offered
    organisations: list[Choice] = field(default_factory=list)
    everyone: bool = True
    chosen_groups: list[str] = field(default_factory=list)  # codes
    chosen_organisations: list[str] = field(default_factory=list)
    tests: int = 0  # tests sent: each goes out anew, under a key of its own

    def issue(self) -> Issue:
        audience = Audience(
            self.everyone, tuple(self.chosen_groups), tuple(self.chosen_organisations)
        )
        included = [item.id for item in self.offered if item.id in self.included]
        return Issue(
            self.key,
            self.title,
            self.text,
            self.media_kind,
            self.media_file_id,
            tuple(included),
            audience,
        )


@dataclass
class IssueDecisionDraft:
    """A newsletter a coordinator is rejecting while they type the reason, or moving while
    they type the new moment (``revision``: the one the button was shown for)."""

    issue_id: int
    title: str
    revision: int = 0


@dataclass
class IncidentDraft:
    """An incident in the making, between the steps of /incident; one per coordinator.

    ``key`` names the draft for good: the incident is recorded under it once. ``asking`` holds
    the placeholders still to be typed, the first being the one asked now.
    """

    key: str
    templates: list[IncidentTemplate] = field(default_factory=list)  # as offered
    template: IncidentTemplate | None = None  # None: started empty
    asking: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    text: str = ""  # the message typed from empty, Telegram HTML
    message: str = ""  # the whole message as members get it, once composed
    groups: list[Choice] = field(default_factory=list)  # as offered
    organisations: list[Choice] = field(default_factory=list)
    everyone: bool = False
    chosen_groups: list[str] = field(default_factory=list)  # codes
    chosen_organisations: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """``{wat}`` as typed, else the template's name."""
        if "wat" in self.values or self.template is None:
            return self.values.get("wat", "")
        return self.template.name

    def incident(self) -> Incident:
        audience = Audience(
            self.everyone, tuple(self.chosen_groups), tuple(self.chosen_organisations)
        )
        code = self.template.code if self.template is not None else None
        return Incident(self.key, self.title, self.message, code, audience)


@dataclass
class IncidentUpdateDraft:
    """A follow-up to an open incident in the making ("Vervolgbericht"): ``key`` names it for
    good (it is sent under it once)."""

    incident_id: int
    key: str
    title: str
    html: str = ""  # Telegram HTML
    plain: str = ""  # as Telegram counts it


@dataclass
class TemplateEditDraft:
    """A template field a coordinator is changing (/sjablonen), while they type the new text;
    ``template_id`` is the row's, which the next import replaces (then the change is refused)."""

    template_id: int
    code: str
    name: str
    field: str  # the plan file's key: naam, woordvoerder, kernboodschap, doen, niet_doen, bellen


@dataclass
class CorrectionDraft:
    """A correction in the making ("Corrigeren"): the issue, the version it corrects, and the
    text typed."""

    issue_id: int
    version: int
    title: str
    html: str = ""  # Telegram HTML
    plain: str = ""  # as Telegram counts it


@dataclass
class UserData:
    invite: InviteDraft | None = None
    meeting_change: MeetingChangeDraft | None = None  # /wijzig
    milestone: MilestoneDraft | None = None  # /mijlpaal
    agenda_item: AgendaItemDraft | None = None  # /agendapunt
    agenda_item_document: AttachDraft | None = None  # "Stuk toevoegen", waiting for the file
    publish: PublishDraft | None = None  # /publiceer
    agenda_decline: AgendaDeclineDraft | None = None  # "Niet opnemen", waiting for a reason
    kopij: KopijDraft | None = None  # /nieuws
    kopij_decline: KopijDeclineDraft | None = None  # "Niet opnemen", waiting for a reason
    newsletter: NewsletterDraft | None = None  # /nieuwsbrief
    newsletter_reject: IssueDecisionDraft | None = None  # "Afwijzen", waiting for a reason
    newsletter_move: IssueDecisionDraft | None = None  # "Verplaatsen", waiting for a moment
    newsletter_rewrite: IssueDecisionDraft | None = None  # "Tekst wijzigen", waiting for it
    incident: IncidentDraft | None = None  # /incident
    incident_update: IncidentUpdateDraft | None = None  # "Vervolgbericht" under a status
    newsletter_correction: CorrectionDraft | None = None  # "Corrigeren" under a report
    incident_template: TemplateEditDraft | None = None  # /sjablonen, waiting for a text
    leave_question: int | None = None  # the message asking /afmelden's question, unanswered


USER_DATA = TypeAdapter(UserData)
"""How :class:`UserData` is stored: JSON by pydantic, for the database persistence."""
