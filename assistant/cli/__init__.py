"""The ``botulax-consult`` command: the consult UI, and one module per family of commands.

Exit codes are a contract with clinics' scripts: 0 planned (including deferred zones), 1 problems
found by ``check``, 2 invalid input (answers, files, flags), 3 contraindicated, 4 refused.

Starting the UI is the everyday case, so this package imports only the option parser until a
command is known; each command's module is imported when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from assistant.cli.common import EXIT_OK, flush_output, known_error
from assistant.cli.parser import COMMANDS, build_parser, parse_arguments

__all__ = ["COMMANDS", "build_parser", "main", "parse_arguments"]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        if args.command is None:
            from assistant.cli.consult import cmd_ui

            return cmd_ui(args)
        from assistant.files.output import stdout_in_words

        with stdout_in_words():
            code = args.handler(args)
            flush_output()  # what a command printed and Python still holds: a full device is said here
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `botulax-consult history | head`: the reader left; nothing is wrong
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        code = known_error(error)
        if code is None:
            raise
        return code


if __name__ == "__main__":
    sys.exit(main())
