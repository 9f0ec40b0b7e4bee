"""`python -m selftrack` runs the command line."""

from selftrack.launch import main

main()
