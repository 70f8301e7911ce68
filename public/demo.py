"""Demo data for the public database (filled in by the demo work of issue #11)."""


def seed(stdout) -> None:
    return None
