"""One testinfra test per labgrade probe command per node (see conftest.py)."""


def test_probe(host, command):
    r = host.run(command)
    # 255: ssh itself failed (the node could not be reached): that is the only failure of *gathering*;
    # a probe's own non-zero exit is a fact about the node, as in labgrade.
    assert r.rc != 255, r.stderr
    assert r.stdout or r.stderr
