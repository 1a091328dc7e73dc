"""After /publiceer the coordinator gets the agenda as a Word file, for the secretary."""

from __future__ import annotations

from io import BytesIO

from docx import Document

from bot.standin import SentMessage
from planning.agenda_items.services import review, submit
from tests.support.agenda_chat import ANNE, FATIMA, KOEN, ao_key
from tests.support.chat import Chat


async def test_the_coordinator_gets_the_word_file_after_publishing(chat: Chat) -> None:
    key = await ao_key(chat)
    for member, title in ((FATIMA, "Jaarplan 2011"), (KOEN, "Monitor *eerste* cijfers")):
        item = await chat.database.run(submit, chat.clock, member, key, title, None)
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    preview = await chat.say(ANNE, "/publiceer")
    await chat.press(ANNE, preview, "Versturen")
    await chat.server.wait_for(lambda: bool(_documents(chat, ANNE)))

    [sent] = _documents(chat, ANNE)
    assert sent.document is not None
    assert sent.document.file_name == "agenda-ambtelijk-overleg-2011-03-22.docx"
    assert sent.text == "De agenda als Word-bestand, bijvoorbeeld voor de secretaris."
    word = Document(BytesIO(sent.document.content))
    assert word.paragraphs[0].text == "Agenda: Ambtelijk overleg"
    rows = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert rows[1:] == [
        ["1.", "Jaarplan 2011", "ter bespreking", "Fatima El Amrani (Gemeente Gouda)"],
        ["2.", "Monitor *eerste* cijfers", "ter bespreking", "Koen de Boer (Gemeente Utrecht)"],
    ]
    await chat.sent_all()
    assert not _documents(chat, FATIMA)  # participants get the agenda as text only


def _documents(chat: Chat, user_id: int) -> list[SentMessage]:
    return [m for m in chat.server.messages(user_id) if m.document is not None]
