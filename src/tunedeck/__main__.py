"""`python -m tunedeck` and the `tunedeck` command."""

import sys

from tunedeck.cli import main

if __name__ == "__main__":
    sys.exit(main())
