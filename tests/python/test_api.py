# ctest-labels: model data
# The Python package over the default model: the same bytes as the CLI, images as paths, bytes or
# numpy arrays, the same evaluation numbers, exceptions that name file and line, the GIL released.
import json
import threading
import time

import numpy as np
import pytest
import skimage.io

import mie
from conftest import ASTRONAUT, DATA, MODEL, PHOTO, cli, first_difference


def test_predict_many_equals_cli_on_gmner_dev(model, tmp_path):
    dev = DATA / "gmner" / "dev.txt"
    want = cli("predict", "--model", MODEL, "--input", dev, "--threads", "2").stdout.splitlines()
    posts = mie.read_conll(dev)
    # One call over the whole split, as the CLI makes for a CoNLL file: byte for byte, in order.
    got = [p.to_json() for p in model.predict_many(posts, batch_size=len(posts))]
    assert len(got) == len(want) > 1000
    assert got == want
    # Streamed in batches of 100: the same predictions (scores' last float bits depend on the batch).
    streamed = [p.to_json() for p in model.predict_many(posts, batch_size=100)]
    assert first_difference(streamed, want) is None


def test_text_post_with_photo(model):
    post = model.predict("Lionel Messi scores again for Barcelona", image=PHOTO)
    assert [t for t in post.tokens][:2] == ["Lionel", "Messi"]
    per = [e for e in post.entities if e.type == "PER"]
    assert per and per[0].text == "Lionel Messi"
    e = per[0]
    assert 0 < e.score <= 1 and e.groundable_score is not None
    if e.groundable:
        (x1, y1, x2, y2), = e.boxes
        assert 0 <= x1 < x2 <= 548 and 0 <= y1 < y2 <= 342
    d = post.to_dict()
    assert d == json.loads(post.to_json()) and d["image"]["width"] == 548
    want = cli("predict", "--model", MODEL, "--text", "Lionel Messi scores again for Barcelona",
               "--image", PHOTO).stdout.strip()
    assert post.to_json() == want


def test_image_as_path_bytes_or_array_gives_the_same_boxes(model):
    text = "Astronaut Eileen Collins poses at NASA before the launch"
    by_path = model.predict(text, image=ASTRONAUT)
    by_bytes = model.predict(text, image=ASTRONAUT.read_bytes())
    by_array = model.predict(text, image=skimage.io.imread(ASTRONAUT))   # RGB, HxWx3 uint8
    boxes = [[(e.groundable, e.boxes) for e in p.entities] for p in (by_path, by_bytes, by_array)]
    assert boxes[0] == boxes[1] == boxes[2]
    assert any(e.type == "PER" for e in by_path.entities)
    assert by_array.to_dict()["image"]["width"] == 512


def test_predict_many_streams_dicts_and_json_lines(model):
    items = iter([{"id": "a", "text": "Barack Obama visits New York"},
                  '{"id": "b", "tokens": ["Messi", "joins", "PSG"]}',
                  "",
                  "Taylor Swift sings in London",
                  {"id": "d", "text": "Messi in Paris", "image": skimage.io.imread(PHOTO)}])
    out = list(model.predict_many(items, batch_size=2))
    assert [p.id for p in out] == ["a", "b", "4", "d"]
    assert out[0].entities[0].text == "Barack Obama" and out[0].relations == []
    assert out[3].to_dict()["image"]["height"] == 342


def test_evaluate_equals_cli_eval_json(model, tmp_path):
    dev = DATA / "gmner" / "dev.txt"
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(p.to_json() + "\n" for p in model.predict_many(mie.read_conll(dev))))
    xml = DATA / "gmner" / "xml"
    got = mie.evaluate("gmner", gold=dev, xml=xml, pred=pred)
    want = json.loads(cli("eval", "--task", "gmner", "--gold", dev, "--xml", xml, "--pred", pred, "--json").stdout)
    assert got == want and got["mner"]["f1"] > 60
    assert mie.evaluate("mner", gold=dev, pred=pred) == json.loads(
        cli("eval", "--task", "mner", "--gold", dev, "--pred", pred, "--json").stdout)


def test_errors_are_python_exceptions_naming_file_and_line(model, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "1", "text": "fine"}\n\n{"id": 2, "tokens": "x"\n')
    with pytest.raises(mie.ParseError) as e:
        mie.read_jsonl(bad)
    assert e.value.file == str(bad) and e.value.line == 3 and f"{bad}:3:" in str(e.value)
    broken = tmp_path / "broken.mie"
    broken.write_bytes(MODEL.read_bytes()[:5000])
    with pytest.raises(mie.ModelError, match="broken.mie"):
        mie.load(broken)
    with pytest.raises(mie.ModelError, match="threads"):
        mie.load(MODEL, threads=0)
    with pytest.raises(mie.Error, match="nowhere.jpg"):
        model.predict("Messi in Paris", image="/nowhere.jpg")
    with pytest.raises(mie.Error, match="the image bytes: (unsupported image format|not a JPEG or PNG)"):
        model.predict("Messi in Paris", image=b"GIF89a not an image")
    with pytest.raises(mie.Error, match="HxWx3"):
        model.predict("Messi in Paris", image=np.zeros((4, 4, 4), np.uint8))
    with pytest.raises(mie.ParseError) as e:
        list(model.predict_many(["Messi", '{"id": 1, "text": 5}']))
    assert e.value.line == 2
    with pytest.raises(TypeError):
        model.predict("Messi", image=3.5)
    assert issubclass(mie.ParseError, mie.Error) and issubclass(mie.ModelError, mie.Error)


def test_two_threads_on_one_model_run_at_once(model):
    """Each thread makes one long call; with the GIL held they could only run one after the other."""
    texts = [{"id": str(i), "text": "Barack Obama visits New York with Michelle Obama"} for i in range(400)]
    batches = [[mie.parse_post(json.dumps(t)) for t in texts] for _ in range(2)]
    single = mie.load(MODEL, threads=1)
    single._m.predict_batch(batches[0][:50])              # warm
    t = time.perf_counter()
    single._m.predict_batch(batches[0])
    one = time.perf_counter() - t
    spans = [None, None]
    go = threading.Barrier(2)

    def work(i):
        go.wait()
        s = time.perf_counter()
        single._m.predict_batch(batches[i])
        spans[i] = (s, time.perf_counter())

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    overlap = min(spans[0][1], spans[1][1]) - max(spans[0][0], spans[1][0])
    shorter = min(b - a for a, b in spans)
    wall = max(b for _, b in spans) - min(a for a, _ in spans)
    print(f"one batch alone {one:.3f} s; two threads {wall:.3f} s (speed-up {2 * one / wall:.2f}); "
          f"overlap {overlap / shorter:.0%}")
    assert overlap > 0.5 * shorter, spans                   # both were inside C++ at once


def test_docstrings_and_stubs():
    assert "import mie" in mie.__doc__ and mie.load.__doc__ and mie.Model.predict_many.__doc__
    assert mie.Entity.__doc__ and mie.__version__.count(".") == 2
    import pathlib
    assert (pathlib.Path(mie.__file__).parent / "_mie.pyi").is_file()
