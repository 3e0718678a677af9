"""Words for people to read."""


def join_and(words) -> str:
    """``words`` as in a sentence: "", "A", "A and B", "A, B and C"."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
