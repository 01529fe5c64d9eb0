"""``python -m peelparse`` and the ``peelparse`` console script.

``run`` imports the command line only once called, so that a Ctrl-C while it loads still ends
in one line rather than a traceback.
"""

import sys


def run() -> int:
    """The console script: the command line on ``sys.argv``."""
    try:
        from .cli import main
    except KeyboardInterrupt:  # pragma: no cover - a Ctrl-C in the first tenth of a second
        print("peelparse: interrupted", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
