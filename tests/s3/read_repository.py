#!/usr/bin/python3
"""An independent reader of a plain strata repository copied to a local directory (by awscli),
written from docs/format/repository.md alone: it checks that strata's output is what the format
document says, without strata's code.

Usage: read_repository.py DIR snapshots   one line per snapshot: format, version, database,
                                          chunks, distinct data objects, chunk tree nodes
       read_repository.py DIR named       every object key the snapshots name, sorted
"""
import glob
import hashlib
import json
import os
import struct
import sys

import zstandard

MAGIC = b"STRATOBJ"
CODEC_NONE, CODEC_ZSTD = 0, 2


def read_object(root, object_id):
    """The verified content of object `object_id` ("Objects": header, payload, SHA-256)."""
    with open(os.path.join(root, "objects", object_id[:2], object_id), "rb") as f:
        stored = f.read()
    if stored[:8] != MAGIC or stored[8] != 1:
        raise ValueError("object %s: bad header" % object_id)
    codec = stored[9]
    (size,) = struct.unpack("<Q", stored[10:18])
    payload = stored[18:]
    if codec == CODEC_ZSTD:
        content = zstandard.ZstdDecompressor().decompress(payload, max_output_size=size)
    elif codec == CODEC_NONE:
        content = payload
    else:
        raise ValueError("object %s: codec %d" % (object_id, codec))
    if len(content) != size or hashlib.sha256(content).hexdigest() != object_id:
        raise ValueError("object %s does not verify" % object_id)
    return content


def tree_chunks(root, node_id, level, nodes):
    """The chunk entries of the chunk tree node `node_id` ("Chunk trees"), in order."""
    nodes.append(node_id)
    node = json.loads(read_object(root, node_id))
    assert node["format"] == "strata-chunk-node" and node["level"] == level, node_id
    if level == 0:
        return node["entries"]
    out = []
    for child in node["children"]:
        entries = tree_chunks(root, child["node"], level - 1, nodes)
        assert (entries[0]["table"], entries[0]["path"]) == (
            child["first"]["table"], child["first"]["path"]), child["node"]
        assert len(entries) == child["chunks"], child["node"]
        out += entries
    return out


def snapshots(root):
    for path in sorted(glob.glob(os.path.join(root, "snapshots", "*.json"))):
        manifest = json.load(open(path))
        nodes = []
        if manifest["version"] == 1:
            chunks = manifest["chunks"]
        else:
            tree = manifest["chunk_tree"]
            chunks = []
            if tree["root"] is not None:
                chunks = tree_chunks(root, tree["root"], tree["height"] - 1, nodes)
            assert len(chunks) == tree["chunks"], path
            assert sum(c["rows"] for c in chunks) == tree["rows"], path
        keys = [(c["table"], c["path"]) for c in chunks]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), path
        yield manifest, chunks, nodes


def main():
    root, what = sys.argv[1], sys.argv[2]
    if what == "snapshots":
        for manifest, chunks, nodes in snapshots(root):
            objects = {o["id"] for c in chunks for o in c["objects"]}
            print(manifest["format"], manifest["version"], manifest["source"]["database"],
                  len(chunks), len(objects), len(nodes))
    elif what == "named":
        named = set()
        for _, chunks, nodes in snapshots(root):
            named.update(o["id"] for c in chunks for o in c["objects"])
            named.update(nodes)
        for object_id in sorted(named):
            print("objects/%s/%s" % (object_id[:2], object_id))
    else:
        sys.exit("unknown request " + what)


if __name__ == "__main__":
    main()
