# ctest-labels: model data
# mie.dask on a real distributed.LocalCluster: shards in, one output and one errors shard per
# partition, every input line exactly once, the CLI's bytes, one model load per worker process,
# and a worker process killed mid-job (SIGKILL, a real fault) losing and duplicating nothing.
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import mie
import mie.dask
from conftest import DATA, MODEL, PHOTO, cli, first_difference

SHARDS = 8


@pytest.fixture(scope="module")
def dev_lines():
    """GMNER dev as `mie predict` JSONL input lines; one of them names a photo."""
    posts = list(mie.read_conll(DATA / "gmner" / "dev.txt"))
    lines = [json.dumps({"id": p.id, "tokens": p.tokens}, ensure_ascii=False).encode() for p in posts]
    lines[60] = json.dumps({"id": posts[60].id, "tokens": posts[60].tokens, "image": PHOTO.name}).encode()
    return lines


@pytest.fixture(scope="module")
def cli_output(dev_lines, tmp_path_factory):
    """What `mie predict` writes for the whole of GMNER dev: the reference bytes."""
    p = tmp_path_factory.mktemp("cli") / "dev.jsonl"
    p.write_bytes(b"".join(l + b"\n" for l in dev_lines))
    out = cli("predict", "--model", MODEL, "--input", p, "--images", PHOTO.parent).stdout.splitlines()
    assert len(out) == len(dev_lines)
    return out


def write_shards(d, lines, n):
    size = -(-len(lines) // n)
    paths = []
    for k in range(n):
        p = d / f"shard{k}.jsonl"
        p.write_bytes(b"".join(l + b"\n" for l in lines[size * k: size * (k + 1)]))
        paths.append(p)
    return paths


def outputs(out, n):
    return [l for k in range(n) for l in (out / f"{k:05d}-shard{k}.jsonl").read_text().splitlines()]


def cli_on_shards(paths, batch_size):
    """`mie predict` on each shard with the partitions' batching: the bytes each partition must write."""
    return [l for p in paths for l in cli("predict", "--model", MODEL, "--input", p, "--images", PHOTO.parent,
                                          "--batch", batch_size, "--threads", 1).stdout.splitlines()]


def test_eight_shards_on_two_workers_give_the_cli_output(dev_lines, cli_output, tmp_path):
    paths = write_shards(tmp_path, dev_lines, SHARDS)
    out = tmp_path / "out"
    s = mie.dask.predict_jsonl(str(tmp_path / "shard*.jsonl"), str(MODEL), str(out), workers=2,
                               images=str(PHOTO.parent), batch_size=64)
    assert (s["posts"], s["errors"], s["blank"], s["partitions"]) == (len(dev_lines), 0, 0, SHARDS)
    assert s["worker_processes"] == 2 and s["model_loads"] == 2   # once per worker process
    assert sorted(os.listdir(out)) == sorted([f"{k:05d}-shard{k}.jsonl" for k in range(SHARDS)] +
                                             [f"{k:05d}-shard{k}.errors.jsonl" for k in range(SHARDS)])
    got = outputs(out, SHARDS)
    assert got == cli_on_shards(paths, 64)          # each line once, in order, the CLI's bytes
    assert first_difference(got, cli_output) is None  # and the whole file's predictions
    assert s["entities"] == sum(len(json.loads(l)["entities"]) for l in cli_output)


def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(dev_lines, cli_output, tmp_path):
    from distributed import Client, LocalCluster
    write_shards(tmp_path, dev_lines, SHARDS)
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        pids = client.run(os.getpid)
        result = {}
        job = threading.Thread(target=lambda: result.update(mie.dask.predict_jsonl(
            str(tmp_path / "shard*.jsonl"), str(MODEL), str(out), client=client, images=str(PHOTO.parent),
            batch_size=16)))
        job.start()
        killed = None
        deadline = time.time() + 300
        while killed is None and time.time() < deadline and job.is_alive():
            busy = [w for w, tasks in client.processing().items() if tasks and w in pids]
            if busy and any(n.endswith(".jsonl") for n in os.listdir(out) if out.is_dir()):
                killed = pids[busy[0]]          # a worker in the middle of a partition, after one landed
                os.kill(killed, signal.SIGKILL)
            time.sleep(0.05)
        job.join(600)
    assert killed is not None, "the job ended before a worker could be killed"
    assert result["posts"] == len(dev_lines) and result["errors"] == 0 and result["partitions"] == SHARDS
    assert not [n for n in os.listdir(out) if ".tmp-" in n]
    assert first_difference(outputs(out, SHARDS), cli_output) is None


def test_bad_lines_go_to_the_errors_shard(dev_lines, cli_output, tmp_path):
    good = dev_lines[:30]
    bad = [b'{"id": "bad-json", ', b'{"id": "bad-utf8", "text": "\xff\xfe"}',
           b'{"id": "no-image", "text": "Messi", "image": "missing.jpg"}', b'{"id": "no-text"}']
    lines = good[:5] + [bad[0]] + good[5:20] + [bad[1]] + good[20:25] + [b""] + [bad[2], bad[3]] + good[25:]
    shard = tmp_path / "shard0.jsonl"
    shard.write_bytes(b"\n".join(lines) + b"\n")
    s = mie.dask.predict_jsonl([str(shard)], str(MODEL), str(tmp_path / "out"), workers=1,
                               images=str(PHOTO.parent), batch_size=8)
    assert (s["posts"], s["errors"], s["blank"]) == (30, 4, 1)
    errors = [json.loads(l) for l in (tmp_path / "out" / "00000-shard0.errors.jsonl").read_text().splitlines()]
    assert [e["line"] for e in errors] == [6, 22, 29, 30]
    assert all(e["file"] == str(shard) for e in errors)
    assert "invalid UTF-8" in errors[1]["error"] and "missing.jpg" in errors[2]["error"]
    assert first_difference((tmp_path / "out" / "00000-shard0.jsonl").read_text().splitlines(), cli_output[:30]) is None


def test_a_retried_partition_replaces_its_output(dev_lines, tmp_path):
    shard = write_shards(tmp_path, dev_lines[:40], 1)[0]
    out = tmp_path / "out"
    args = (3, str(shard), str(MODEL), str(out), str(PHOTO.parent))
    first = mie.dask.run_partition(*args)
    before = (out / "00003-shard0.jsonl").read_bytes()
    again = mie.dask.run_partition(*args)
    assert (out / "00003-shard0.jsonl").read_bytes() == before
    assert first["posts"] == again["posts"] == 40 and not again["model_loaded"]
    assert sorted(os.listdir(out)) == ["00003-shard0.errors.jsonl", "00003-shard0.jsonl"]


def test_command_line(dev_lines, tmp_path):
    paths = write_shards(tmp_path, dev_lines[:100], 2)
    r = subprocess.run([sys.executable, "-m", "mie.dask", "--model", str(MODEL), "--input", *map(str, paths),
                        "--output", str(tmp_path / "o"), "--workers", "1", "--images", str(PHOTO.parent)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert (s["posts"], s["errors"], s["partitions"], s["model_loads"]) == (100, 0, 2, 1)
    # Against a running scheduler (the LocalCluster's, reached over TCP as a remote one would be).
    from distributed import LocalCluster
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        r = subprocess.run([sys.executable, "-m", "mie.dask", "--scheduler", cluster.scheduler_address, "--model",
                            str(MODEL), "--input", str(tmp_path / "shard*.jsonl"), "--output", str(tmp_path / "o3"),
                            "--images", str(PHOTO.parent)],
                           capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["posts"] == 100
    assert (tmp_path / "o3" / "00000-shard0.jsonl").read_bytes() == (tmp_path / "o" / "00000-shard0.jsonl").read_bytes()
    r = subprocess.run([sys.executable, "-m", "mie.dask", "--model", str(tmp_path / "none.mie"), "--input",
                        str(paths[0]), "--output", str(tmp_path / "o2")], capture_output=True, text=True)
    assert r.returncode == 2 and "none.mie" in r.stderr
