"""The example year plan 2011 that ships with the package, for the sandbox and the tests."""

from __future__ import annotations

from importlib import resources

from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.store import import_plan

EXAMPLE_PLAN = "plans/jaarplan-2011.yaml"


def example_plan_text() -> str:
    return resources.files("planning").joinpath(EXAMPLE_PLAN).read_text(encoding="utf-8")


async def import_example_plan(session: AsyncSession, clock: Clock) -> None:
    """Import the example plan through the same check and conversion as the CLI."""
    checked = check_plan(example_plan_text(), "jaarplan-2011.yaml")
    if checked.plan is None:  # the packaged plan is tested to be clean; this would be a bug
        raise RuntimeError("\n".join(str(problem) for problem in checked.problems))
    await import_plan(session, clock, to_plan(checked.plan))
