"""Nigeria's 36 states, the FCT and their 774 local government areas (orders/data/nigeria_lgas.json)."""

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "nigeria_lgas.json"


@cache
def lgas_by_state() -> dict[str, tuple[str, ...]]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {state["name"]: tuple(state["lgas"]) for state in data["states"]}


def state_names() -> list[str]:
    return list(lgas_by_state())


def canonical_state(name: str) -> str | None:
    """The state as spelled in the data file, matched without regard to case or spacing."""
    wanted = " ".join((name or "").split()).casefold()
    for state in lgas_by_state():
        if state.casefold() == wanted:
            return state
    if wanted in ("abuja", "federal capital territory"):
        return "FCT"
    return None


def canonical_lga(state: str, name: str) -> str | None:
    wanted = " ".join((name or "").split()).casefold()
    for lga in lgas_by_state().get(state, ()):
        if lga.casefold() == wanted:
            return lga
    return None
