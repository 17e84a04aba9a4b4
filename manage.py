#!/usr/bin/env python
import sys

from config.entrypoint import load_settings


def main():
    load_settings()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
