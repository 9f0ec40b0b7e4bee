"""`python -m selftrack` does what `selftrack` does (selftrack.launch)."""

from selftrack.launch import main

main()
