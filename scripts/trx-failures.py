#!/usr/bin/env python3
"""Prints each failed test of a .trx file with the first lines of its message and stack trace."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
root = ET.parse(sys.argv[1]).getroot()
for result in root.iterfind(".//t:UnitTestResult", NS):
    if result.get("outcome") in ("Passed", "NotExecuted"):
        continue
    print(f"FAILED {result.get('testName')} ({result.get('duration')})")
    info = result.find(".//t:ErrorInfo", NS)
    for tag, limit in (("Message", 15), ("StackTrace", 8)):
        node = info.find(f"t:{tag}", NS) if info is not None else None
        if node is not None and node.text:
            for line in node.text.strip().splitlines()[:limit]:
                print("    " + line)
