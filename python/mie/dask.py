"""mie on a Dask cluster: tag JSONL shards of posts in parallel, losing and duplicating nothing.

    import mie.dask
    summary = mie.dask.predict_jsonl("posts/*.jsonl", "models/gmner.mie", "out/", images="/data/img")

    python3 -m mie.dask --model models/gmner.mie --input 'posts/*.jsonl' --output out/ --workers 2
    python3 -m mie.dask --scheduler tcp://HOST:8786 --model ... --input ... --output ...

Each input shard (the `mie predict` JSONL input format) is one partition. A worker process
loads the model once and reuses it for every partition it runs. Partition k of shard NAME.jsonl
writes out/k-NAME.jsonl (the predictions, in input order) and out/k-NAME.errors.jsonl (one
{"file", "line", "error"} line per bad input line), each to a temporary name renamed when
complete: a retried or speculative task replaces its output whole, never appends to it. Every
non-blank input line ends up exactly once in one of the two. Paths (model, shards, output,
images) must be the same on every worker: a shared file system. docs/python.md covers clusters.
"""
from __future__ import annotations

import argparse
import glob as _glob
import json
import os
import sys
import time
import uuid
from typing import Iterable, Optional, Union

import mie

_MODELS: dict = {}  # per worker process: (path, options) -> (mie.Model, load count)


def _model(path: str, images: str) -> tuple["mie.Model", bool]:
    key = (os.path.abspath(path), images)
    if key not in _MODELS:
        _MODELS[key] = mie.load(path, threads=1, images_dir=images)
        return _MODELS[key], True
    return _MODELS[key], False


def _write_atomic(path: str, lines: Iterable[str]) -> None:
    tmp = f"{path}.tmp-{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line)
            f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _error(file: str, line: int, msg: str) -> str:
    return json.dumps({"file": file, "line": line, "error": msg}, ensure_ascii=False)


def run_partition(index: int, shard: str, model: str, output: str, images: str = "",
                  batch_size: int = 256) -> dict:
    """Tags one shard into output/<index>-<name>.jsonl and .errors.jsonl; returns its counts."""
    t0 = time.perf_counter()
    m, loaded = _model(model, images)
    stem = os.path.splitext(os.path.basename(shard))[0]
    out_path = os.path.join(output, f"{index:05d}-{stem}.jsonl")
    err_path = os.path.join(output, f"{index:05d}-{stem}.errors.jsonl")
    results: list[str] = []  # output lines, input order
    entities = relations = 0
    errors: list[tuple[int, str]] = []  # (line number, error line)
    blank = 0
    pending: list[tuple[int, "mie.Post"]] = []

    def keep(p: "mie.Post") -> None:
        nonlocal entities, relations
        results.append(p.to_json())
        entities += len(p.entities)
        relations += len(p.relations)

    def flush() -> None:
        if not pending:
            return
        try:
            done = m._m.predict_batch([p for _, p in pending])
            for p in done:
                keep(p)
        except mie.Error:  # find the bad post(s): one by one
            for n, p in pending:
                try:
                    keep(m._m.predict(p))
                except mie.Error as e:
                    errors.append((n, _error(shard, n, str(e))))
        pending.clear()

    with open(shard, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                errors.append((n, _error(shard, n, f"invalid UTF-8 at byte {e.start}")))
                continue
            if not line.strip():
                blank += 1
                continue
            try:
                pending.append((n, mie.parse_post(line, str(n))))
            except mie.Error as e:
                errors.append((n, _error(shard, n, str(e))))
                continue
            if len(pending) >= batch_size:
                flush()
    flush()
    errors.sort(key=lambda e: e[0])  # input order: parse errors are found before image errors
    os.makedirs(output, exist_ok=True)
    _write_atomic(out_path, results)
    _write_atomic(err_path, [e for _, e in errors])
    return {"shard": shard, "output": out_path, "errors_file": err_path, "posts": len(results),
            "entities": entities, "relations": relations, "errors": len(errors), "blank": blank,
            "pid": os.getpid(), "model_loaded": loaded, "seconds": time.perf_counter() - t0}


def _gather_with_progress(client, futures) -> list:
    """The partitions' results in input order; a progress line on stderr when it is a terminal
    (MIE_PROGRESS=0 turns it off, 1 forces it), as the C++ commands draw theirs."""
    env = os.environ.get("MIE_PROGRESS", "")
    if not (env != "0" if env else sys.stderr.isatty()):
        return client.gather(futures)
    from distributed import as_completed
    t0, done, posts = time.perf_counter(), 0, 0
    for fut in as_completed(futures):
        done += 1
        if fut.status == "finished":
            posts += fut.result()["posts"]
        rate = posts / max(time.perf_counter() - t0, 1e-9)
        print(f"\r\033[Kmie.dask: {done}/{len(futures)} partitions, {posts} posts, {rate:.0f} posts/s",
              end="", file=sys.stderr, flush=True)
    print("\r\033[K", end="", file=sys.stderr, flush=True)
    return client.gather(futures)


def _remove_temporaries(output: str, shards: list[str]) -> None:
    """Drops the temporaries of attempts that died before renaming (a killed worker's)."""
    stems = {f"{i:05d}-{os.path.splitext(os.path.basename(s))[0]}" for i, s in enumerate(shards)}
    for name in os.listdir(output):
        base, sep, _ = name.partition(".tmp-")
        if sep and os.path.splitext(base)[0].removesuffix(".errors") in stems:
            try:
                os.remove(os.path.join(output, name))
            except FileNotFoundError:
                pass


def _shards(inputs: Union[str, Iterable[str]]) -> list[str]:
    if isinstance(inputs, (str, os.PathLike)):
        found = sorted(_glob.glob(os.fspath(inputs)))
        if not found:
            raise mie.Error(f"{inputs}: no input shard matches")
        return found
    found = [os.fspath(s) for s in inputs]
    for s in found:
        if not os.path.isfile(s):
            raise mie.Error(f"{s}: no such input shard")
    return found


def predict_jsonl(inputs: Union[str, Iterable[str]], model: str, output: str, client=None,
                  images: Optional[str] = None, workers: int = 2, batch_size: int = 256) -> dict:
    """Tags every shard of `inputs` (a glob or a list of JSONL files) into `output`/ on a Dask
    cluster; without `client`, on a distributed.LocalCluster of `workers` processes here.
    Returns the summary: posts, entities, relations, errors, blank lines, partitions, seconds,
    worker processes and model loads, and the per-partition counts."""
    shards = _shards(inputs)
    if not os.path.isfile(model):
        raise mie.ModelError(f"{model}: no such model file")
    model = os.path.abspath(model)
    output = os.path.abspath(output)
    os.makedirs(output, exist_ok=True)
    images = os.path.abspath(images) if images else ""
    t0 = time.perf_counter()
    own = None
    if client is None:
        from distributed import Client, LocalCluster
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        own = (Client(cluster), cluster)
        client = own[0]
    try:
        futures = [client.submit(run_partition, i, os.path.abspath(s), model, output, images, batch_size,
                                 key=f"mie-partition-{i}-{uuid.uuid4().hex[:8]}", pure=False)
                   for i, s in enumerate(shards)]
        parts = _gather_with_progress(client, futures)
    finally:
        _remove_temporaries(output, shards)
        if own:
            own[0].close()
            own[1].close()
    summary = {k: sum(p[k] for p in parts) for k in ("posts", "entities", "relations", "errors", "blank")}
    summary.update(partitions=len(parts), seconds=time.perf_counter() - t0,
                   worker_processes=len({p["pid"] for p in parts}),
                   model_loads=sum(1 for p in parts if p["model_loaded"]), parts=parts)
    return summary


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m mie.dask",
                                 description="Tag JSONL shards of posts with a mie model on a Dask cluster.")
    ap.add_argument("--model", required=True, help="model file (the same path on every worker)")
    ap.add_argument("--input", required=True, nargs="+", help="JSONL shards: files or a quoted glob")
    ap.add_argument("--output", required=True, help="output directory (shared by the workers)")
    ap.add_argument("--images", default="", help="root of relative image paths (shared by the workers)")
    ap.add_argument("--scheduler", default="", help="tcp://HOST:8786 of a running dask scheduler; "
                    "without it, a LocalCluster here")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    ap.add_argument("--batch-size", type=int, default=256, help="posts per model call (default 256)")
    a = ap.parse_args(argv)
    inputs = a.input[0] if len(a.input) == 1 and any(c in a.input[0] for c in "*?[") else a.input
    client = None
    try:
        if a.scheduler:
            from distributed import Client
            client = Client(a.scheduler)
        s = predict_jsonl(inputs, a.model, a.output, client=client, images=a.images or None,
                          workers=a.workers, batch_size=a.batch_size)
    except mie.Error as e:
        print(f"mie.dask: {e}", file=sys.stderr)
        return 2
    finally:
        if client is not None:
            client.close()
    parts = s.pop("parts")
    for p in parts:
        print(f"mie.dask: {p['shard']}: {p['posts']} posts, {p['errors']} errors -> {p['output']}", file=sys.stderr)
    print(json.dumps(s))
    return 4 if s["errors"] else 0  # as `mie predict --on-error skip`


if __name__ == "__main__":
    # Run through the imported module, so that tasks refer to mie.dask.run_partition (and its
    # per-process model cache) rather than to functions of __main__.
    from mie.dask import main as _main
    sys.exit(_main())
