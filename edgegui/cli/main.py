"""``edgegui`` entry point: one-line errors, ``--debug`` for tracebacks, verbs loaded lazily.

A technician pays for every import on every command, so the parser knows all verbs, their
help and their options without importing what runs them:

- ``edgegui/cli/verbs.py`` holds one small function per verb that adds its sub-parser and
  sets ``handler="edgegui.cli.<verb>_cmd:run_<verb>"``; ``VERBS`` lists them by name, and
  a command line naming a verb builds only that verb's sub-parser (options shared by several verbs
  come from ``edgegui/cli/options.py``; both modules import nothing but argparse).
- ``main()`` parses the command line, then imports the chosen handler's module and calls
  the function with the parsed arguments. Handler modules import what they need at the top.

To add a verb: write ``edgegui/cli/<verb>_cmd.py`` with ``def run_<verb>(args) -> int``, add
a function for its options to ``verbs.py`` and list it in ``VERBS`` under the verb's name.
``tests/cli/test_lazy_imports.py`` fails when ``--version``/``--help`` import heavy libraries.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from edgegui import __version__
from edgegui.cli.verbs import VERBS
from edgegui.core.errors import EdgeGUIError

Handler = Callable[[argparse.Namespace], "int | None"]


def build_parser(verbs: Sequence[str] = tuple(VERBS)) -> argparse.ArgumentParser:
    """The parser with the given verbs' sub-parsers (all of them by default)."""
    parser = argparse.ArgumentParser(
        prog="edgegui", description="Commission, deploy to and monitor edge devices."
    )
    parser.add_argument("--version", action="version", version=f"edgegui {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in verbs:
        VERBS[name](subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after the first "--" is a remote command, never options of ours.
    tail: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, tail = argv[:split], argv[split + 1 :]
    # Our own options take no values, so the first word is the verb: build only its parser.
    verb = next((word for word in argv if not word.startswith("-")), None)
    if verb is None and not {"-h", "--help"} & set(argv):
        verb = "gui"  # no verb opens the window; top-level options (--debug) stay before it
        argv.append(verb)
    parser = build_parser((verb,) if verb in VERBS else tuple(VERBS))
    args = parser.parse_args(argv)
    args.command_tail = tail
    from edgegui.core.applog import configure_logging  # not for --version or --help

    configure_logging(debug=args.debug)
    try:
        return int(load_handler(args.handler)(args) or 0)
    except EdgeGUIError as exc:
        return _fail(args, f"edgegui: {exc}")
    except KeyboardInterrupt:
        return _fail(args, "edgegui: interrupted", status=130)
    except Exception as exc:  # noqa: BLE001 - the user sees one line; --debug shows the rest
        return _fail(args, f"edgegui: internal error: {type(exc).__name__}: {exc}")


def load_handler(spec: str) -> Handler:
    """The function named by ``"package.module:function"``, importing its module now."""
    import importlib

    module_name, _, function = spec.partition(":")
    handler: Handler = getattr(importlib.import_module(module_name), function)
    return handler


def _fail(args: argparse.Namespace, message: str, status: int = 1) -> int:
    if getattr(args, "debug", False):
        import traceback

        traceback.print_exc()
    print(message.splitlines()[0] if message else "edgegui: error", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
