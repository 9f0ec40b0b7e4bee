"""`python -m selftrack` runs the command line."""

from selftrack.cli import main

main()
