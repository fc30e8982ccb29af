"""`carnet test` results as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from carnet.engine.model import Story
from carnet.tools.lint.show import plural, short
from carnet.tools.storytest.randomtest import RandomReport, Trouble
from carnet.tools.storytest.suite import StoryResult

FORMATS = ("text", "json")
LISTED = 10  # never-reached scenes and never-taken choices listed in text


def summary(results: Sequence[StoryResult]) -> str:
    walks = [w for r in results for w in r.walks]
    failed = sum(1 for w in walks if not w.passed)
    text = (f"{plural(len(walks), 'walkthrough')}: {len(walks) - failed} passed, "
            f"{failed} failed")
    randoms = [r.random for r in results if r.random is not None]
    if randoms:
        troubles = sum(len(r.troubles) for r in randoms)
        text += f"; random runs: {plural(troubles, 'problem')}"
    broken = sum(1 for r in results if r.load_errors or r.missing)
    if broken:
        text += f"; {plural(broken, 'story', 'stories')} not tested"
    return text + f" in {plural(len(results), 'story', 'stories')}"


def text_lines(result: StoryResult) -> list[str]:
    lines = [d.format() for d in result.load_errors]
    if result.load_errors:
        lines.append(f"{result.display}: the story does not load; run `carnet lint "
                     f"{result.display}`")
    if result.missing:
        lines.append(f"{result.display}: {result.missing}")
    for walk in result.walks:
        status = "ok  " if walk.passed else "FAIL"
        lines.append(f"{status} {walk.path}" + (f"  ({walk.name})" if walk.name else ""))
        lines += [failure.format() for failure in walk.failures]
    if result.random is not None and result.story is not None:
        lines += random_lines(result.display, result.random, result.story)
    return lines


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}"


def random_lines(display: str, report: RandomReport, story: Story) -> list[str]:
    reached = sum(1 for e in report.endings if e[2])
    lines = [f"{display}: {plural(report.runs, 'random run')} (seed {report.seed}): "
             f"scenes {_ratio(len(report.seen), len(report.scenes))}, "
             f"choices {_ratio(len(report.taken), len(report.choices))}, "
             f"endings {_ratio(reached, len(report.endings))}"]
    for scene, label, count in report.endings:
        lines.append(f"  ending {scene} ({label}): {plural(count, 'run')}")
    unseen = [s for s in report.scenes if s not in report.seen]
    if unseen:
        more = f" and {len(unseen) - LISTED} more" if len(unseen) > LISTED else ""
        lines.append(f"  scenes never reached: {', '.join(unseen[:LISTED])}{more}")
    untaken = [c for c in report.choices if c not in report.taken]
    if untaken:
        shown = [f"{s}#{i + 1} {short(story.scenes[s].choices[i].text, 30)!r}"
                 for s, i in untaken[:LISTED]]
        more = f" and {len(untaken) - LISTED} more" if len(untaken) > LISTED else ""
        lines.append(f"  choices never taken: {', '.join(shown)}{more}")
    if report.unfinished:
        lines.append(f"  {plural(report.unfinished, 'run')} reached no ending within the "
                     "step limit (--max-steps)")
    for trouble in report.troubles:
        lines += trouble_lines(display, trouble)
    return lines


def trouble_lines(display: str, trouble: Trouble) -> list[str]:
    what = "softlock" if trouble.kind == "softlock" else "runtime error"
    count = f" ({plural(trouble.count, 'run')})" if trouble.count > 1 else ""
    numbers = ",".join(map(str, trouble.choices))
    replay = (f"carnet play {display} --choices {numbers}" if numbers
              else f"carnet play {display} (at the start)")
    return [f"  {what} in scene {trouble.scene!r}{count}: {trouble.message}",
            f"    path: {' > '.join(trouble.scenes)}",
            f"    replay: {replay}"]


def _failure_json(failure: Any) -> dict[str, Any]:
    return {"path": failure.at.path, "line": failure.at.line, "column": failure.at.col,
            "message": failure.message, "expected": failure.expected, "got": failure.got}


def _random_json(report: RandomReport) -> dict[str, Any]:
    return {
        "runs": report.runs, "seed": report.seed, "unfinished": report.unfinished,
        "scenes": {"reached": len(report.seen), "total": len(report.scenes),
                   "never_reached": [s for s in report.scenes if s not in report.seen]},
        "choices": {"taken": len(report.taken), "total": len(report.choices),
                    "never_taken": [{"scene": s, "choice": i + 1} for s, i in report.choices
                                    if (s, i) not in report.taken]},
        "endings": [{"scene": s, "label": label, "runs": n} for s, label, n in report.endings],
        "troubles": [{"kind": t.kind, "scene": t.scene, "message": t.message,
                      "choices": list(t.choices), "path": list(t.scenes), "runs": t.count}
                     for t in report.troubles],
    }


def as_json(results: Sequence[StoryResult]) -> str:
    return json.dumps([{
        "story": r.display,
        "passed": r.passed,
        "load_errors": [{"path": d.path, "line": d.line, "column": d.col, "code": d.code,
                         "message": d.message} for d in r.load_errors],
        "not_tested": r.missing,
        "walkthroughs": [{"path": w.path, "name": w.name, "passed": w.passed,
                          "failures": [_failure_json(f) for f in w.failures]} for w in r.walks],
        "random": _random_json(r.random) if r.random is not None else None,
    } for r in results], indent=2, ensure_ascii=False)
