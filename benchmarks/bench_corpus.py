"""How well the converter finds the beats an editor marks, on the development corpus.

Runs the corpus's own scorer (``../shared/corpus/score.py``: it converts each
story with this checkout's ``carnet``, plays the canonical path and matches
the choice points to the gold beats) and prints its table. Run:

    python benchmarks/bench_corpus.py              # the table, default density
    python benchmarks/bench_corpus.py -v           # ... and every beat
    python benchmarks/bench_corpus.py --sweep 3 12 # totals for each density

``--sweep`` is how the default ``--density`` was chosen (see docs/convert.md).
Targets (issue 9): recall >= 90% of required beats, precision >= 75%, text
19/19, no story below 50% recall. Tests never run this.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
_TOTALS = re.compile(r"^(?:required beats hit|choice points|text reproduced)\b.*$", re.M)


def _carnet_command(tmp: Path) -> str:
    """A ``carnet`` executable for score.py: this interpreter running this checkout."""
    script = tmp / "carnet"
    script.write_text(
        f"#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} "
        f'exec {shlex.quote(sys.executable)} -m carnet "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def score(carnet: str, extra: list[str], density: float | None = None) -> str:
    convert = "{carnet} convert {file} -o {out}"
    if density is not None:
        convert = f"{{carnet}} convert --density {density:g} {{file}} -o {{out}}"
    done = subprocess.run(
        [sys.executable, str(CORPUS / "score.py"), "--carnet", carnet, "--convert", convert,
         *extra],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        sys.exit(f"score.py failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="every beat, as score.py -v")
    parser.add_argument("--sweep", nargs=2, type=int, metavar=("LOW", "HIGH"),
                        help="only the totals, for each density from LOW to HIGH")
    args = parser.parse_args()
    if not (CORPUS / "score.py").is_file():
        print(f"bench_corpus: no corpus at {CORPUS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        carnet = _carnet_command(Path(tmp))
        if args.sweep:
            low, high = args.sweep
            for density in range(low, high + 1):
                out = score(carnet, [], float(density))
                totals = "; ".join(" ".join(m.split()) for m in _TOTALS.findall(out))
                print(f"density {density:>2}: {totals}")
            return 0
        print(score(carnet, ["-v"] if args.verbose else []), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
