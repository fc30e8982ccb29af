"""`python -m carnet` is the `carnet` command."""

import sys

from carnet.engine.cli import main

sys.exit(main())
