#!/usr/bin/env python3
"""Make the upstream PP-OCRv3 text-line detector loadable by OpenCV 4.6's DNN module.

    python3 scripts/patch-ppocr.py en_PP-OCRv3_det_infer.onnx en_PP-OCRv3_det_cv46.onnx

Upstream (Kazuhito00/PaddleOCR-ONNX-Sample, paddle2onnx, opset 11) feeds each Clip node its
min/max as extra inputs produced by scalar Constant nodes; OpenCV 4.6 only accepts the older form
with `min`/`max` attributes. This script turns those inputs into attributes and changes nothing
else (the Constant nodes stay, unused). It needs Debian's python3-onnx (apt-get install
python3-onnx). scripts/setup.sh runs it after downloading and then checks the result against
scripts/assets.txt.
"""
import sys

try:
    import onnx
    from onnx import helper, numpy_helper
except ImportError:
    sys.exit("patch-ppocr.py: needs the onnx Python module (Debian: apt-get install python3-onnx)")


def scalar_sources(graph):
    """Map tensor name -> float for every scalar produced by a Constant node or an initializer."""
    values = {}
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.size == 1:
            values[init.name] = float(arr.reshape(-1)[0])
    for node in graph.node:
        if node.op_type != "Constant":
            continue
        for attr in node.attribute:
            if attr.name == "value":
                arr = numpy_helper.to_array(attr.t)
                if arr.size == 1:
                    values[node.output[0]] = float(arr.reshape(-1)[0])
    return values


def patch(model):
    values = scalar_sources(model.graph)
    changed = 0
    for node in model.graph.node:
        if node.op_type != "Clip" or len(node.input) <= 1:
            continue
        bounds = []
        for name, idx in (("min", 1), ("max", 2)):
            if idx < len(node.input) and node.input[idx]:
                src = node.input[idx]
                if src not in values:
                    sys.exit(f"patch-ppocr.py: Clip node {node.name}: {name} input {src} is not a constant scalar")
                bounds.append(helper.make_attribute(name, values[src]))
        del node.input[1:]
        node.attribute.extend(bounds)
        changed += 1
    return changed


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: patch-ppocr.py INPUT.onnx OUTPUT.onnx")
    model = onnx.load(sys.argv[1])
    n = patch(model)
    onnx.save(model, sys.argv[2])
    print(f"patch-ppocr.py: rewrote {n} Clip node(s) -> {sys.argv[2]}", file=sys.stderr)


if __name__ == "__main__":
    main()
