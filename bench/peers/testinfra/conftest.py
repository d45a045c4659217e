"""pytest-testinfra peer of `labgrade grade`: runs labgrade's own probe commands, one test per command per node.

The commands come from LGBENCH_COMMANDS (a JSON file written by bench/run.ts from bench/commands.ts, i.e.
from labgrade's probes in src/probes for the day's spec). Hosts come from testinfra's own --hosts
(ssh://root@127.77.S.N) and --ssh-config; each (host, command) pair that labgrade would not run on
that node (day-1 exercise checks run on node1 only) is deselected at collection, so nothing is skipped
at run time.
"""
import json
import os

import pytest

_SPEC = json.load(open(os.environ["LGBENCH_COMMANDS"]))
# address -> {key: command}
COMMANDS = {h["host"]: {c["key"]: c["command"] for c in h["commands"]} for h in _SPEC["hosts"]}
KEYS = sorted({k for cmds in COMMANDS.values() for k in cmds})


def pytest_generate_tests(metafunc):
    if "probe_key" in metafunc.fixturenames:
        metafunc.parametrize("probe_key", KEYS)


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        h = params.params.get("_testinfra_host") if params else None
        key = params.params.get("probe_key") if params else None
        if h is not None and key is not None and key not in COMMANDS.get(h.backend.hostname, {}):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def command(host, probe_key):
    return COMMANDS[host.backend.hostname][probe_key]
