"""mie: grounded named entities, fine types and relations from social-media posts.

    import mie
    m = mie.load("models/gmner.mie", threads=2)      # immutable; share it across threads
    post = m.predict("Messi scores for Barcelona", image="photo.jpg")
    for e in post.entities:
        print(e.text, e.type, e.fine_type, e.score, e.groundable, e.groundable_score, e.boxes)
    for r in post.relations:
        print(r.head, r.tail, r.label, r.score)      # head/tail index post.entities
    post.to_json()                                   # the line `mie predict` writes
    for p in m.predict_many(open("posts.jsonl"), batch_size=256): ...

An image is a path (relative paths resolve under `images_dir`), encoded JPEG/PNG bytes, or an
HxWx3 uint8 numpy array in RGB order (HxW for gray). Errors are mie.Error: mie.ParseError for
malformed input (with .file and .line), mie.ModelError for a model file that cannot be loaded.
Inference releases the GIL, so Python threads sharing one Model run in parallel.
Scale-out over a Dask cluster: mie.dask (python3 -m mie.dask --help).
"""
from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Iterable, Iterator, Optional, Union

from . import _mie
from ._mie import Entity, Error, Image, ModelError, ParseError, Post, Relation

__version__ = _mie.__version__
__all__ = ["load", "Model", "Post", "Entity", "Relation", "Image", "Error", "ParseError", "ModelError",
           "evaluate", "read_conll", "read_jsonl", "parse_post", "tokenize", "to_dict", "__version__"]

ImageLike = Union[str, "_os.PathLike[str]", bytes, Any, None]


def _image(image: ImageLike) -> Optional[Image]:
    if image is None:
        return None
    if isinstance(image, Image):
        return image
    if isinstance(image, (str, _os.PathLike)):
        return _mie.image_from_path(_os.fspath(image))
    if isinstance(image, (bytes, bytearray, memoryview)):
        return _mie.image_from_bytes(bytes(image))
    if hasattr(image, "__array_interface__"):
        return _mie.image_from_array(image)
    raise TypeError(f"image must be a path, bytes or a numpy uint8 array, not {type(image).__name__}")


def _post(item: Any, default_id: str = "1") -> Post:
    """A Post from a Post, a raw text, a dict of the JSON input format, or one JSON line."""
    if isinstance(item, Post):
        return item
    if isinstance(item, str):
        s = item.strip()
        if s.startswith("{"):
            return _mie.parse_post(s, default_id)
        return _mie.make_post(item, "", default_id)
    if isinstance(item, dict):
        d = dict(item)
        image = d.pop("image", None)
        text_image = image if isinstance(image, str) or image is None else None
        if text_image is not None:
            d["image"] = text_image
        post = _mie.parse_post(_json.dumps(d, ensure_ascii=False), default_id)
        if text_image is None and image is not None:
            post.image = _image(image)
        return post
    raise TypeError(f"a post is a str, dict or mie.Post, not {type(item).__name__}")


class Model:
    """A loaded model file: immutable, safe to share across threads (mie/mie.h's mie::Model)."""

    def __init__(self, core: "_mie.Model"):
        self._m = core

    @property
    def stages(self) -> list[str]:
        """The stages the file carries, in the order they run (ner, fine, ground, relation)."""
        return self._m.stages

    @property
    def path(self) -> str:
        return self._m.path

    @property
    def context(self) -> list[str]:
        """Post context the entity stage reads ("caption", "knowledge")."""
        return self._m.context

    def predict(self, post: Any, image: ImageLike = None, *, id: str = "1", caption: str = "",
                knowledge: str = "") -> Post:
        """One post: a raw text (with `image`), a dict of the JSON input format, or a mie.Post."""
        p = _post(post, id)
        if image is not None:
            p.image = _image(image)
        if caption:
            p.caption = caption
        if knowledge:
            p.knowledge = knowledge
        return self._m.predict(p)

    def predict_many(self, posts: Iterable[Any], batch_size: int = 256) -> Iterator[Post]:
        """Streams predictions, in input order, over batches of `batch_size` posts; each batch runs
        on the model's threads. Items are texts, JSON lines, dicts or mie.Post; blank lines are
        skipped; a bad item raises mie.ParseError naming its 1-based position as the line."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        batch: list[Post] = []
        for n, item in enumerate(posts, 1):
            if isinstance(item, str) and not item.strip():
                continue
            try:
                batch.append(_post(item, str(n)))
            except ParseError:
                raise
            except Error as e:
                err = ParseError(f"<posts>:{n}: {e}")
                err.file, err.line = "<posts>", n
                raise err from e
            if len(batch) >= batch_size:
                yield from self._m.predict_batch(batch)
                batch = []
        if batch:
            yield from self._m.predict_batch(batch)

    def warm_up(self) -> None:
        """Loads the grounding detectors now rather than at the first image."""
        self._m.warm_up()

    def __repr__(self) -> str:
        return f"<mie.Model {self.path} stages={self.stages}>"


def load(path: Union[str, "_os.PathLike[str]"], threads: int = 1, images_dir: str = "",
         detectors: str = "face,object,text,image", text_size: int = 736, face_size: int = 640,
         relation_threshold: float = -1.0, vinvl_dir: str = "", vinvl_top_k: int = 16) -> Model:
    """Loads a model file (`mie train ...`). Raises mie.ModelError naming the file and reason."""
    o = _mie.Options()
    o.threads = threads
    o.images_dir = images_dir
    o.detectors = detectors
    o.text_size = text_size
    o.face_size = face_size
    o.relation_threshold = relation_threshold
    o.vinvl_dir = vinvl_dir
    o.vinvl_top_k = vinvl_top_k
    return Model(_mie.load(_os.fspath(path), o))


def evaluate(task: str, gold: str, pred: str, xml: str = "", regions: str = "", top_k: int = 16,
             bootstrap: int = 0, seed: int = 1) -> dict:
    """Scores predictions with the benchmarks' official metrics: the dict `mie eval --json` prints.
    task: gmner, mner, fmnerg, mre or jmere (docs/metrics.md)."""
    r = _mie.EvalRequest()
    r.task, r.gold, r.pred, r.xml, r.regions = task, _os.fspath(gold), _os.fspath(pred), _os.fspath(xml), regions
    r.top_k, r.bootstrap, r.seed = top_k, bootstrap, seed
    return _json.loads(_mie.evaluate_json(r))


def read_conll(path: str) -> list[Post]:
    """Posts of a CoNLL file (GMNER, Twitter-2015/2017, FMNERG), gold entities included."""
    return _mie.read_conll(_os.fspath(path))


def read_jsonl(path: str) -> list[Post]:
    """Posts of a mie JSONL file (input or predictions)."""
    return _mie.read_jsonl(_os.fspath(path))


def parse_post(line: str, default_id: str = "1") -> Post:
    """One post of the JSON input format ({"id", "text" | "tokens", "image", "caption", "knowledge"})."""
    return _mie.parse_post(line, default_id)


def tokenize(text: str) -> list[str]:
    """mie's tweet tokenizer."""
    return _mie.tokenize(text)


def to_dict(post: Post) -> dict:
    """The post as the dict of its JSONL line."""
    return _json.loads(post.to_json())

