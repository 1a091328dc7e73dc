"""A broken or hostile plan file: one Dutch problem at ``FILE:LINE:COLUMN``, fast, never English.

The billion-laughs file runs in a child process with a time and memory ceiling, so that a
regression fails this test instead of taking the machine's memory; the child reports the
check's own time, its tracemalloc peak and the child's peak resident size.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from planning.plan.check import check_plan
from planning.plan.source import MAX_DEPTH, MAX_PLAN_BYTES

# Ten levels of nine: 10^9 "lol"s when expanded, from a file of 400 bytes.
BILLION_LAUGHS = (
    'versie: 1\nnaam: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefghi", "bcdefghij", strict=True)
    )
)
# Words of PyYAML's messages: none may reach the coordinator.
ENGLISH = re.compile(
    r"\b(found|expected|while|mapping|scanning|parsing|token|stream|allowed|character)\b"
)


def problems(content: str | bytes) -> list[str]:
    result = check_plan(content, "plan.yaml")
    assert result.plan is None
    return [str(problem) for problem in result.problems]


SYNTAX = {
    "colon in a value": (
        "naam: Thema: jeugd\n",
        'plan.yaml:1:12: yaml: hier mag geen dubbele punt staan: zet tekst met ": " tussen '
        "aanhalingstekens, of controleer het inspringen",
    ),
    "missing colon": (
        "versie: 1\nnaam\ntijdzone: Europe/Amsterdam\n",
        "plan.yaml:2:1: yaml: na deze sleutel ontbreekt de dubbele punt (sleutel: waarde), of de "
        "regel ervoor loopt door",
    ),
    "tab": (
        "versie: 1\n\tnaam: X\n",
        "plan.yaml:2:1: yaml: een tab mag niet voor het inspringen: gebruik spaties",
    ),
    "character that cannot start a value": (
        "naam: @samenwerking\n",
        "plan.yaml:1:7: yaml: een waarde kan niet beginnen met het teken @: zet de waarde tussen "
        "aanhalingstekens",
    ),
    "indentation": (
        "overleggen:\n  - code: ao\n    naam: AO\n   trekker: co\n",
        "plan.yaml:4:4: yaml: het inspringen klopt niet: deze regel staat niet gelijk met de "
        "regels die er bij horen",
    ),
    "dash where a key belongs": (
        "versie: 1\n- naam: X\n",
        "plan.yaml:2:1: yaml: het inspringen klopt niet: deze regel staat niet gelijk met de "
        "regels die er bij horen",
    ),
    "unknown escape": (
        'naam: "C:\\stukken"\n',
        "plan.yaml:1:11: yaml: onbekende escape \\s tussen dubbele aanhalingstekens: schrijf \\\\ "
        "voor een backslash, of gebruik enkele aanhalingstekens",
    ),
    "unclosed quote": (
        'versie: 1\nnaam: "Jaarplan\ntijdzone: Europe/Amsterdam\n',
        "plan.yaml:2:7: yaml: het aanhalingsteken dat hier begint, wordt niet gesloten",
    ),
    "unclosed list": (
        "groepen: [alle, rijk\nversie: 1\n",
        "plan.yaml:2:7: yaml: in de lijst [...] die op regel 1 begint, ontbreekt hier een komma "
        "of de sluitende ]",
    ),
    "two documents": (
        "versie: 1\n---\nnaam: X\n",
        "plan.yaml:2:1: yaml: hier begint een tweede document (---); een jaarplan is één "
        "document, zonder ---",
    ),
    "one not in the table": (
        "naam: |0\n  x\n",
        "plan.yaml:1:8: yaml: geen geldige YAML op deze plek: controleer de aanhalingstekens, het "
        "inspringen, de dubbele punten en de streepjes",
    ),
}


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_a_syntax_error_is_dutch_at_line_and_column(case: str) -> None:
    text, expected = SYNTAX[case]
    assert problems(text) == [expected]
    assert not ENGLISH.search(expected)


def test_anchors_and_aliases_are_refused_at_the_anchor() -> None:
    text = "versie: 1\nnaam: X\ngroepen:\n  - &alle {code: alle, naam: Iedereen}\n  - *alle\n"
    assert problems(text) == [
        "plan.yaml:4:5: yaml: ankers (&naam) en verwijzingen (*naam) zijn in een jaarplan niet "
        "toegestaan; schrijf de waarde voluit"
    ]
    assert problems("naam: *onbekend\n")[0].startswith("plan.yaml:1:7: yaml: verwijzingen (*naam)")


def test_billion_laughs_is_refused_at_once() -> None:
    assert len(BILLION_LAUGHS.encode()) < 1024
    child = textwrap.dedent(
        f"""
        import json, re, resource, time, tracemalloc
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from planning.plan.check import check_plan
        content = {BILLION_LAUGHS!r}.encode()
        tracemalloc.start()
        started = time.perf_counter()
        result = check_plan(content, "lachen.yaml")
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        problems = [str(problem) for problem in result.problems]
        # This process's own peak resident size (ru_maxrss would include the forking parent's).
        with open("/proc/self/status") as status:
            resident = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
        print(json.dumps(dict(seconds=seconds, peak=peak, resident=resident, problems=problems)))
        """
    )
    # A time limit and an address-space limit: a regression fails the test, not the machine.
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=30, check=True
    )

    report = json.loads(done.stdout)
    assert report["problems"] == [
        "lachen.yaml:2:7: yaml: ankers (&naam) en verwijzingen (*naam) zijn in een jaarplan niet "
        "toegestaan; schrijf de waarde voluit"
    ]
    assert report["seconds"] < 1.0
    assert report["peak"] < 100 * 1024 * 1024  # what the check allocated
    assert report["resident"] < 100 * 1024  # kB: the whole child, interpreter and imports too


def test_nesting_deeper_than_a_plan_needs_is_refused() -> None:
    found = problems("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert found == [
        f"plan.yaml:1:{3 + MAX_DEPTH}: yaml: te diep genest: een jaarplan heeft hooguit een paar "
        "niveaus van lijsten en objecten"
    ]
    # Far deeper than Python's recursion limit: still one problem, no RecursionError.
    assert len(problems("[" * 100_000)) == 1


def test_a_file_larger_than_the_cap_is_refused_unread() -> None:
    assert problems(b"# \n" * (MAX_PLAN_BYTES // 3 + 1)) == [
        "plan.yaml:1:1: yaml: het bestand is groter dan 5 MB; een jaarplan is een paar kB (is "
        "dit het goede bestand?)"
    ]


def test_bytes_that_are_not_utf8_are_named_by_offset() -> None:
    latin1 = "versie: 1\nnaam: Coördinatie\n".encode("latin-1")
    assert problems(latin1) == [
        "plan.yaml:2:9: yaml: geen UTF-8-tekst: byte 0xf6 op offset 18 is ongeldig; sla het "
        "bestand op als UTF-8"
    ]


def test_a_binary_file_is_named_by_its_first_nul_byte() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert problems(png) == [
        "plan.yaml:3:1: yaml: dit is geen tekstbestand (nul-byte op offset 8); sla het jaarplan "
        "op als platte tekst (UTF-8)"
    ]


def test_a_control_character_is_placed() -> None:
    assert problems("versie: 1\nnaam: Jaar\x07plan\n") == [
        "plan.yaml:2:11: yaml: het stuurteken U+0007 hoort niet in het bestand; haal het weg"
    ]


def test_a_byte_order_mark_is_fine() -> None:
    result = check_plan(b"\xef\xbb\xbf" + "naam: Coördinatie\n".encode(), "plan.yaml")
    assert all(problem.field != "yaml" for problem in result.problems)
