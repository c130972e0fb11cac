"""`python -m config.stack start|stop|status [--root DIR] [--free-ports]`: make stack, make
stack-stop. See config/stack/__init__.py."""

import argparse
import sys
from pathlib import Path

from config.stack import BASE_DIR, Ports, Stack, StackError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.stack", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--root", type=Path, default=BASE_DIR / ".stack")
    parser.add_argument(
        "--free-ports", action="store_true", help="any free ports instead of the usual ones"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    previous = Stack.load(root)

    if args.action == "stop":
        if previous is None:
            print(f"stack: nothing started under {root}")
        else:
            previous.stop()
            print("stack: stopped")
        return 0

    if args.action == "status":
        running = previous.running() if previous else []
        print(f"stack: running: {', '.join(running)}" if running else "stack: not running")
        if running:
            print(previous.addresses())
        return 0 if running else 1

    if previous is not None:
        if set(previous.running()) >= {"varnish", "app-a", "app-b", "redis", "postgres"}:
            print("stack: already running (make stack-stop stops it)\n")
            print(previous.addresses())
            return 0
        previous.stop()  # what a failed or interrupted start left behind
    stack = Stack(root=root, ports=Ports.free() if args.free_ports else Ports.defaults())
    try:
        stack.start()
    except StackError as error:
        print(f"stack: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stack: interrupted; everything it started is stopped", file=sys.stderr)
        return 130
    print("\nThe stack is running:\n")
    print(stack.addresses())
    return 0


if __name__ == "__main__":
    sys.exit(main())
