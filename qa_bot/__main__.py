"""Run the command line: ``python -m qa_bot``."""

from qa_bot.cli import main

raise SystemExit(main())
