#!/usr/bin/env python3
"""Prints each failed test of a .trx file: the first lines of its message and stack trace, then,
where the message carries process logs (cluster tests append them), the lines those logs flag as
failures or warnings with a few lines after each, since a CI log shows only this summary."""
import re
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
SEVERE = re.compile(r"\b(fail|crit): ")
WARNING = re.compile(r"\bwarn: ")
PROCESS = re.compile(r"^==== ")
LIMITS = ((SEVERE, 40), (WARNING, 20))
LINES_AFTER_FLAG = 3


def flagged_log_lines(lines):
    """Each process header and each flagged line (failures first, then warnings, up to their
    limits) with the lines after it, in log order; nothing if no line is flagged."""
    keep = set()
    for pattern, limit in LIMITS:
        hits = [i for i, line in enumerate(lines) if pattern.search(line)][:limit]
        for i in hits:
            keep.update(range(i, min(i + 1 + LINES_AFTER_FLAG, len(lines))))
    if not keep:
        return []
    keep.update(i for i, line in enumerate(lines) if PROCESS.match(line))
    return [lines[i] for i in sorted(keep)]


root = ET.parse(sys.argv[1]).getroot()
for result in root.iterfind(".//t:UnitTestResult", NS):
    if result.get("outcome") in ("Passed", "NotExecuted"):
        continue
    print(f"FAILED {result.get('testName')} ({result.get('duration')})")
    info = result.find(".//t:ErrorInfo", NS)
    message = info.find("t:Message", NS) if info is not None else None
    stack = info.find("t:StackTrace", NS) if info is not None else None
    message_lines = message.text.strip().splitlines() if message is not None and message.text else []
    for line in message_lines[:15]:
        print("    " + line)
    if stack is not None and stack.text:
        for line in stack.text.strip().splitlines()[:8]:
            print("    " + line)
    flagged = flagged_log_lines(message_lines[15:])
    if flagged:
        print("    -- flagged lines of the logs in the message:")
        for line in flagged:
            print("    " + line)
