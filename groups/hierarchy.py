"""The one walk of the hierarchy: up through parents.

Pure: it follows whatever ``parent_of`` says, so callers with every
group loaded walk without queries. A walk never loops: it stops where it meets a group
it has already seen, and says so.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Walk:
    chain: tuple  # the groups met, nearest first, without the start
    loops: bool  # True where the walk came back to a group it had already met


def walk_up(start: Hashable, parent_of: Callable[[Hashable], Hashable | None]) -> Walk:
    """From ``start`` to the top: its parent, the parent's parent, and so on."""
    chain, seen, node = [], {start}, parent_of(start)
    while node is not None:
        if node in seen:
            return Walk(tuple(chain), loops=True)
        chain.append(node)
        seen.add(node)
        node = parent_of(node)
    return Walk(tuple(chain), loops=False)
