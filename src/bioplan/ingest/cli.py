"""`bioplan extract`: plan documents → contract JSON, or an evaluation against gold files.

    bioplan extract FILE…                 one file: JSON on stdout; several: FILE.json beside each
    bioplan extract FILE… --json-dir DIR  one <stem>.json per document in DIR
    bioplan extract --eval GOLD_DIR DOCS_DIR
                                          precision/recall/F1 per document and overall

Bad input never gives a traceback: each failing document prints one line "name: message" on stderr
and the exit status is 1 (2 for usage errors). More than a few files run on two worker processes.
Also runnable as ``python -m bioplan.ingest.cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bioplan.ingest.errors import IngestError
from bioplan.ingest.score import DocumentScore, format_report, load_gold, score_document

__all__ = ["add_arguments", "main", "run"]

_PARALLEL_FROM = 4
_WORKERS = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the arguments of ``extract`` on ``parser``."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="plan documents (.txt, .docx, .pdf, .doc)")
    parser.add_argument("--json-dir", metavar="DIR", help="write one <stem>.json per document into DIR")
    parser.add_argument(
        "--eval",
        nargs=2,
        metavar=("GOLD_DIR", "DOCS_DIR"),
        help="score extraction of DOCS_DIR against the *.gold.json files in GOLD_DIR",
    )
    parser.add_argument("--workers", type=int, default=None, help=argparse.SUPPRESS)


def _extract_one(path: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """(path, contract dict or None, one-line error or None); never raises."""
    from bioplan.ingest.extract import extract_document

    try:
        draft = extract_document(path)
    except IngestError as error:
        return path, None, str(error)
    except Exception as error:  # a bug must not become a traceback for the user
        return (
            path,
            None,
            f"{Path(path).name}: internal error while extracting ({type(error).__name__}: {error})",
        )
    return path, draft.to_dict(), None


def _map(paths: list[str], workers: int | None) -> list[tuple[str, dict[str, Any] | None, str | None]]:
    count = workers if workers is not None else (_WORKERS if len(paths) >= _PARALLEL_FROM else 1)
    if count <= 1 or len(paths) < 2:
        return [_extract_one(p) for p in paths]
    with ProcessPoolExecutor(max_workers=count) as pool:
        return list(pool.map(_extract_one, paths, chunksize=max(1, len(paths) // (count * 4))))


def _write_json(data: dict[str, Any], target: Path) -> None:
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _run_extract(args: argparse.Namespace) -> int:
    paths = [str(p) for p in args.files]
    if not paths:
        print("bioplan extract: give at least one FILE (or --eval GOLD_DIR DOCS_DIR)", file=sys.stderr)
        return 2
    out_dir = Path(args.json_dir) if args.json_dir else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"bioplan extract: cannot create {out_dir}: {exc.strerror}", file=sys.stderr)
            return 2
    failures = 0
    for path, data, error in _map(paths, args.workers):
        if error is not None or data is None:
            print(error, file=sys.stderr)
            failures += 1
            continue
        for warning in data.get("warnings", []):
            print(f"{Path(path).name}: warning: {warning}", file=sys.stderr)
        if out_dir is not None:
            _write_json(data, out_dir / f"{Path(path).stem}.json")
        elif len(paths) == 1:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            _write_json(data, Path(path).with_suffix(".json"))
    return 1 if failures else 0


def _run_eval(args: argparse.Namespace) -> int:
    gold_dir, docs_dir = Path(args.eval[0]), Path(args.eval[1])
    for folder in (gold_dir, docs_dir):
        if not folder.is_dir():
            print(f"bioplan extract --eval: not a folder: {folder}", file=sys.stderr)
            return 2
    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        print(f"bioplan extract --eval: no *.gold.json files in {gold_dir}", file=sys.stderr)
        return 2
    pairs: list[tuple[Path, Path]] = []
    scores: list[DocumentScore] = []
    for gold_path in golds:
        stem = gold_path.name[: -len(".gold.json")]
        docs = sorted(p for p in docs_dir.glob(f"{stem}.*") if p.is_file() and not p.name.endswith(".json"))
        if not docs:
            scores.append(DocumentScore(name=stem, error=f"no document {stem}.* in {docs_dir}"))
            continue
        pairs.append((gold_path, docs[0]))
    results = {path: (data, error) for path, data, error in _map([str(d) for _, d in pairs], args.workers)}
    for gold_path, doc in pairs:
        data, error = results[str(doc)]
        try:
            gold = load_gold(gold_path)
        except (OSError, ValueError) as exc:
            scores.append(DocumentScore(name=doc.name, error=f"unreadable gold file: {exc}"))
            continue
        if data is None:
            scores.append(DocumentScore(name=doc.name, error=error))
            continue
        scores.append(score_document(gold, data, name=doc.name))
    print(format_report(scores))
    return 1 if any(s.error for s in scores) else 0


def run(args: argparse.Namespace) -> int:
    """Run ``extract`` with parsed ``args``; returns the exit status."""
    if getattr(args, "eval", None):
        if args.files:
            print("bioplan extract: --eval takes no FILE arguments", file=sys.stderr)
            return 2
        return _run_eval(args)
    return _run_extract(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bioplan extract", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
