"""The `coach` command: parse arguments, call the library, format the result."""
