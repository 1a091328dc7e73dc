"""After the AO of 22 March 2011: the coordinator marks one item dealt with in /afgehandeld and
presses "Klaar" (after a restart in between); the other item's submitter hears that it is held
over to 21 June, and /mijnpunten shows it aangehouden."""

from __future__ import annotations

from datetime import date

from bot.standin import StandinServer
from planning.agenda_items.services import review, submit
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_chat import ANNE, FATIMA, KOEN, QUIET_MOMENT, ao_key, seat_people
from tests.support.chat import labels, run_bot
from tests.support.plans import amsterdam_time

DAY_AFTER = amsterdam_time(date(2011, 3, 23), 10)


async def test_one_item_dealt_with_and_klaar_holds_the_other_over_to_21_june(
    server: StandinServer, database: Database
) -> None:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as chat:
        key = await ao_key(chat)
        for member, title in ((FATIMA, "Jaarplan 2011"), (KOEN, "Monitor")):
            item = await database.run(submit, clock, member, key, title, None)
            await database.run(review, clock, ANNE, item.id, accept=True)
        clock.set(DAY_AFTER)

        listing = await chat.say(ANNE, "/afgehandeld")
        assert (listing.text or "").startswith(
            "Afgehandeld in Ambtelijk overleg van dinsdag 22 maart 2011?"
        )
        assert "aangehouden tot de vergadering van dinsdag 21 juni 2011" in (listing.text or "")
        assert labels(listing) == ["1. Jaarplan 2011", "2. Monitor", "Klaar"]
        await chat.press(ANNE, listing, "1. Jaarplan 2011")
        await chat.settle()
        marked = chat.current(listing)
        assert labels(marked) == ["✓ 1. Jaarplan 2011", "2. Monitor", "Klaar"]
        assert "1. Jaarplan 2011 – afgehandeld" in (marked.text or "")

    async with run_bot(server, database, clock) as chat:  # the list outlives a restart
        await chat.press(ANNE, marked, "Klaar")
        notice = await chat.arrives(KOEN, lambda text: "aangehouden" in text)
        await chat.sent_all()

        assert (notice.text or "") == (
            "Uw agendapunt Monitor voor Ambtelijk overleg van dinsdag 22 maart 2011 is daar "
            "niet afgehandeld. Het is aangehouden tot de vergadering van dinsdag 21 juni 2011 "
            "en staat op die agenda als punt 1."
        )
        done = chat.current(marked)
        assert labels(done) == []
        assert (done.text or "").startswith(
            "Klaar: Ambtelijk overleg van dinsdag 22 maart 2011\nAfgehandeld: 1 punt.\n"
            "Aangehouden tot de vergadering van dinsdag 21 juni 2011:\n"
            "• Monitor (Gemeente Utrecht), daar punt 1"
        )
        assert not chat.matching(FATIMA, lambda text: "aangehouden" in text)
        server.send_message(KOEN, "/mijnpunten")
        mine = await chat.arrives(KOEN, lambda text: text.startswith("Uw agendapunten"))
        assert "Monitor (ter bespreking): op de agenda (punt 1), aangehouden" in (mine.text or "")
        server.send_message(ANNE, "/afgehandeld")
        await chat.arrives(ANNE, lambda text: text.startswith("Er is geen overleg van de afgel"))
