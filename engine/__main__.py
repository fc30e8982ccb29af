"""`python -m engine` is the `carnet` command."""

import sys

from engine.cli import main

sys.exit(main())
