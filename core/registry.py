"""What apps tell core about themselves, from their AppConfig.ready(): core names no app."""

# Management commands `restore` runs after loading a back-up; each fails on bad data.
RESTORE_CHECKS: list[str] = []


def register_restore_check(command: str) -> None:
    """`restore` runs this management command after a restore and fails if it does."""
    if command not in RESTORE_CHECKS:
        RESTORE_CHECKS.append(command)
