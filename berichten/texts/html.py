"""Telegram HTML: how long Telegram counts it, and the one way to split it over messages.

Telegram refuses a message text over 4,096 and a media caption over 1,024 characters, counted in
UTF-16 code units of the text after parsing. :func:`telegram_length` measures the raw HTML
instead, which is never shorter: a tag counts for nothing after parsing, and an entity such as
``&amp;`` or ``&#x1F600;`` is at least four characters long but stands for at most two code
units. So a text measured within a limit here is always within it for Telegram too.

All measuring of texts for Telegram lives here: :func:`split` for a text of any length,
:func:`pack` for blocks (lines, agenda items) that stay whole where they can, :func:`fit` for a
list that stops with "… en nog N punten", and :func:`share` for several sections that share
one message.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable
from itertools import accumulate

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

# What a cut may not go through: a tag, an entity, the two halves of a surrogate pair (only a
# str built with "surrogatepass" holds those). Between them, a cut may fall at any character.
_WHOLE = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^<>"']|"[^"]*"|'[^']*')*>"""
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);"
    r"|[\ud800-\udbff][\udc00-\udfff]"
)
_TEXT, _OPEN, _CLOSE = 0, 1, 2
# How good a cut is, best last. A cut next to whitespace is a break: what kind depends on the
# newlines in that run of whitespace (a blank line makes a paragraph break).
_INSIDE_CHARACTER = -1  # before an accent or a skin tone, around a zero-width joiner
_ANYWHERE = 0
_SPACE, _LINE, _PARAGRAPH = 1, 2, 3
_END = 4


def telegram_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as is: never less than Telegram counts for it
    after parsing it as HTML, so a text within a limit by this measure is accepted."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """``text`` (Telegram HTML) in parts of at most ``limit`` by :func:`telegram_length`.

    A text within the limit that shows anything comes back whole, as ``[text]``. A text that
    shows nothing (empty, or only whitespace and tags) gives ``[]``: Telegram refuses such a
    message, and there is nothing to send.

    A longer text is cut into as few parts as possible without cutting through a word; a word
    is cut only when it does not fit in a part. Among the cuts that keep that number of parts,
    a part ends at the best kind of break there is (a paragraph break, i.e. a blank line; else
    a line break; else a space), and at the last of that kind, after its whitespace where that
    fits. No cut goes through a tag, an entity or a surrogate pair, and a word is cut between
    two characters on screen where it can (not before an accent or a skin tone, nor next to a
    zero-width joiner).

    Every part is balanced: tags open at a cut are closed at the end of the part and opened
    again, exactly as written, at the start of the next; the limit includes them. The text
    stays whole: joined, the parts are ``text`` (less the tags added at the cuts). Only
    whitespace that cannot be in a part with something visible is left out, since Telegram
    refuses a message of only whitespace: a run of it longer than a part, or whitespace at the
    end of the text that would need a part of its own.

    ``text`` is Telegram HTML, with balanced tags. Raises :class:`ValueError` when ``limit``
    cannot hold a character with the tags open around it.
    """
    pieces = _Pieces(text)
    return pieces.split(limit)


def pack(blocks: Iterable[str], limit: int = TEXT_LIMIT, separator: str = "\n") -> list[str]:
    """``blocks`` joined by ``separator`` into as few parts as fit ``limit``, in order, each
    block whole; a block too long for a part of its own is cut with :func:`split`.

    For lists a reader takes in whole pieces (members, invite links, agenda items), where
    :func:`split` might end a part in the middle of one.
    """
    parts: list[str] = []
    for block in blocks:
        joined = f"{parts[-1]}{separator}{block}" if parts else block
        if parts and telegram_length(joined) <= limit:
            parts[-1] = joined
        elif telegram_length(block) <= limit:
            parts.append(block)
        else:
            parts += split(block, limit)
    return parts


def fit(
    head: list[str], blocks: list[str], tail: list[str], more: Callable[[int], str], limit: int
) -> str:
    """``head``, as many of ``blocks`` as fit, then ``more(n)`` for the ``n`` blocks left out,
    then ``tail``, all joined by newlines: at most ``limit - 1`` by :func:`telegram_length`
    (room for the newline that joins it to a text), provided the head, the tail and
    ``more(len(blocks))`` fit.

    Blocks are taken whole and in order, up to the first that does not fit; room for the line
    ``more(len(blocks))`` is kept even when every block fits, and ``more(n)`` must be no longer
    for a smaller ``n``. ``more`` is called with ``n >= 1`` only.
    """
    reserve = [more(len(blocks))] if blocks else []
    room = limit - telegram_length("\n".join([*head, *tail, *reserve])) - 1
    shown: list[str] = []
    for block in blocks:
        cost = telegram_length(block) + 1
        if cost > room:
            break
        shown.append(block)
        room -= cost
    left = len(blocks) - len(shown)
    extra = [more(left)] if left else []
    return "\n".join([*head, *shown, *extra, *tail])


def share(needs: list[int], room: int) -> list[int]:
    """The room each of several sections gets, in the order of ``needs``, together at most
    ``room``: what each needs if all fit; else the room is shared equally, and what a section
    needs less than its equal share goes to the others, equally again. No section gets more
    than it needs."""
    shares = [0] * len(needs)
    left = room
    by_need = sorted(range(len(needs)), key=needs.__getitem__)
    for done, index in enumerate(by_need):
        shares[index] = min(needs[index], left // (len(needs) - done))
        left -= shares[index]
    return shares


class _Pieces:
    """A text as pieces a cut may fall between, with what a part between two cuts costs.

    Boundary ``p`` lies before piece ``p`` (``0 <= p <= count``). A part from boundary ``s``
    to ``c`` is written as the tags open at ``s``, the pieces between, and the closing tags
    for those open at ``c``.
    """

    def __init__(self, text: str) -> None:
        self.raw: list[str] = []
        self.kind: list[int] = []
        self.shown: list[str] = []  # the character a text piece shows; "" for a tag
        sizes: list[int] = []
        # Per boundary: the tags open there (name, opening tag), and the length of those tags
        # and of their closing tags.
        self.open: list[tuple[tuple[str, str], ...]] = []
        self.reopen: list[int] = []
        self.close: list[int] = []
        stack: tuple[tuple[str, str], ...] = ()
        reopen = close = 0

        def add(pieces: list[str], kind: int, shown: list[str], size: list[int]) -> None:
            self.raw += pieces
            self.kind += [kind] * len(pieces)
            self.shown += shown
            sizes.extend(size)
            self.open += [stack] * len(pieces)
            self.reopen += [reopen] * len(pieces)
            self.close += [close] * len(pieces)

        def add_characters(characters: str) -> None:
            lengths = [1 + (character > "\uffff") for character in characters]
            add(list(characters), _TEXT, list(characters), lengths)

        at = 0
        for match in _WHOLE.finditer(text):
            add_characters(text[at : match.start()])
            at, piece, name = match.end(), match.group(), match.group(2)
            if name is None:
                shown = html.unescape(piece) if piece[0] == "&" else piece
                add([piece], _TEXT, [shown], [telegram_length(piece)])
                continue
            name = name.lower()
            add([piece], _CLOSE if match.group(1) else _OPEN, [""], [telegram_length(piece)])
            if not match.group(1):
                stack = (*stack, (name, piece))
                reopen += telegram_length(piece)
                close += len(name) + 3
            elif stack and stack[-1][0] == name:
                reopen -= telegram_length(stack[-1][1])
                close -= len(name) + 3
                stack = stack[:-1]
        add_characters(text[at:])
        self.open.append(stack)
        self.reopen.append(reopen)
        self.close.append(close)
        self.before = list(accumulate(sizes, initial=0))  # the length of the pieces before
        self.count = len(self.raw)
        # The length a part up to each boundary takes, less where it starts: never decreasing.
        self.through = [b + c for b, c in zip(self.before, self.close, strict=True)]
        self.visible = self._first_visible()
        self.rank = self._ranks()

    def _first_visible(self) -> list[int]:
        """Per boundary, the first text piece at or after it that is not whitespace."""
        visible = [self.count] * (self.count + 1)
        for p in range(self.count - 1, -1, -1):
            seen = self.kind[p] == _TEXT and not self.shown[p].isspace()
            visible[p] = p if seen else visible[p + 1]
        return visible

    def _ranks(self) -> list[int | None]:
        """How good a cut each boundary is; ``None`` where no cut may go: right after an
        opening tag or right before a closing one, where it would leave an empty tag."""
        count, kind, shown = self.count, self.kind, self.shown
        # Per piece of whitespace: the newlines in its run (tags between do not end a run).
        newlines = [-1] * (count + 1)
        run: list[int] = []
        for p in range(count + 1):
            if p < count and kind[p] != _TEXT:
                continue
            if p < count and shown[p].isspace():
                run.append(p)
                continue
            total = sum(shown[q].count("\n") for q in run)
            for q in run:
                newlines[q] = total
            run = []
        following = [count] * (count + 1)  # per boundary, the first text piece after it
        for p in range(count - 1, -1, -1):
            following[p] = p if kind[p] == _TEXT else following[p + 1]
        ranks: list[int | None] = [None] * (count + 1)
        ranks[count] = _END
        before = -1  # the last text piece before the boundary
        for p in range(1, count):
            if kind[p - 1] == _TEXT:
                before = p - 1
            if kind[p - 1] == _OPEN or kind[p] == _CLOSE:
                continue
            after = following[p]
            lines = newlines[before] if before >= 0 and newlines[before] >= 0 else newlines[after]
            if lines >= 0:
                ranks[p] = (_SPACE, _LINE, _PARAGRAPH)[min(lines, 2)]
            elif (after < count and _joins_previous(shown[after])) or (
                before >= 0 and shown[before] == "\u200d"
            ):
                ranks[p] = _INSIDE_CHARACTER
            else:
                ranks[p] = _ANYWHERE
        return ranks

    def part(self, start: int, stop: int) -> str:
        """The part from boundary ``start`` to ``stop``, balanced."""
        opened = "".join(tag for _, tag in self.open[start])
        closed = "".join(f"</{name}>" for name, _ in reversed(self.open[stop]))
        return opened + "".join(self.raw[start:stop]) + closed

    def last_stop(self, start: int, limit: int) -> int:
        """The last boundary a part from ``start`` may reach within ``limit``."""
        return bisect_right(self.through, limit + self.before[start] - self.reopen[start]) - 1

    def split(self, limit: int) -> list[str]:
        """The parts, as :func:`split` promises them."""
        parts_from = self._parts_from(limit)
        if parts_from[0] > self.count:
            raise ValueError(f"A limit of {limit} cannot hold the tags open around a character")
        parts: list[str] = []
        start = 0
        while self.visible[start] < self.count:
            cuts = self._cuts(start, limit)
            best = [c for c in cuts if parts_from[c] == parts_from[start] - 1]
            if not best:  # only whitespace fits before what comes next: leave it out
                start = self.visible[start]
                continue
            stop = max(best, key=lambda c: (self.rank[c], c))
            parts.append(self.part(start, stop))
            start = stop
        return parts

    def _cuts(self, start: int, limit: int) -> list[int]:
        """Where a part from ``start`` may end: past its first visible character and within
        ``limit``; next to whitespace, unless there is no such place."""
        first, last = self.visible[start] + 1, self.last_stop(start, limit)
        anywhere = [c for c in range(first, last + 1) if self.rank[c] is not None]
        breaks = [c for c in anywhere if (self.rank[c] or 0) >= _SPACE]
        return breaks or anywhere

    def _parts_from(self, limit: int) -> list[int]:
        """Per boundary, the fewest parts for the text from there with :meth:`_cuts`;
        more than ``count`` where no split exists. Whitespace at the end takes none."""
        never = self.count + 1
        parts_from = [0] * (self.count + 1)
        # Both ends of the range of cuts move back as the start does, so the cuts in range are
        # kept in two queues (breaks, and all cuts), each with its fewest parts at the right.
        breaks: deque[int] = deque()
        anywhere: deque[int] = deque()
        added, last = self.count + 1, self.count
        for start in range(self.count - 1, -1, -1):
            first = self.visible[start]
            if first == self.count:
                continue
            while added > first + 1:
                added -= 1
                rank = self.rank[added]
                if rank is None:
                    continue
                for queue in (breaks, anywhere) if rank >= _SPACE else (anywhere,):
                    while queue and parts_from[queue[0]] >= parts_from[added]:
                        queue.popleft()
                    queue.appendleft(added)
            while last > start and (
                self.through[last] > limit + self.before[start] - self.reopen[start]
            ):
                last -= 1  # as :meth:`last_stop`, which only moves back with the start
            for queue in (breaks, anywhere):
                while queue and queue[-1] > last:
                    queue.pop()
            queue = breaks or anywhere
            if queue:
                parts_from[start] = min(never, parts_from[queue[-1]] + 1)
            else:
                parts_from[start] = parts_from[first] if first > start else never
        return parts_from


def _joins_previous(char: str) -> bool:
    """Whether ``char`` shows as one with the character before it: an accent or other mark,
    a variation selector, a skin tone, a zero-width joiner."""
    if len(char) != 1 or char < "\u0300":
        return False
    return (
        unicodedata.category(char).startswith("M")
        or char == "\u200d"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )
