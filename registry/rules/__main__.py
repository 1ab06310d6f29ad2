"""python -m registry.rules FILE  (FILE may be - for standard input).

Prints {"results": [...]} and exits 0; on a malformed document prints one
line on standard error naming the case and the field, nothing on standard
output, and exits 2. Never a traceback.
"""
from __future__ import annotations

import json
import sys

from .cases import CaseError, run_document

USAGE = "usage: python -m registry.rules FILE   (FILE may be - for standard input)"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    return data.decode("utf-8-sig")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        text = _read(args[0])
    except OSError as e:
        print(_one_line(f"error: cannot read {args[0]}: {e.strerror or e}"), file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print("error: case -: field (document): not UTF-8 text", file=sys.stderr)
        return 2
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        print(_one_line(f"error: case -: field (document): not JSON: {e}"), file=sys.stderr)
        return 2
    try:
        output = run_document(document)
    except CaseError as e:
        print(_one_line(f"error: {e}"), file=sys.stderr)
        return 2
    except Exception as e:  # the contract forbids a traceback, whatever the input
        print(_one_line(f"error: case -: field (document): cannot evaluate: {type(e).__name__}: {e}"), file=sys.stderr)
        return 2
    sys.stdout.buffer.write(json.dumps(output, ensure_ascii=False).encode("utf-8") + b"\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
